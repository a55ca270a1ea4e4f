// The composition root: the only place that reads process.env, opens pools, reads key files and starts servers.
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Logger } from 'pino';
import { ensureDevPki, readServerCredentials, type ServerCredentials } from '../keys/dev-pki.ts';
import { loadConfig, type Config } from './config/config.ts';
import { createApp } from './http/app.ts';
import { createHttpMetrics } from './http/metrics.ts';
import { createOpsApp } from './http/ops-app.ts';
import { drain, startOpsServer, startPartnerServer } from './http/servers.ts';
import { whoamiRoutes } from './identity/whoami-routes.ts';
import { createLogger } from './logger.ts';
import { readFileSync } from 'node:fs';
import { migrate, openStore, type Store } from './store/database.ts';

/** Reads and validates the configuration from this process's environment. @throws ConfigError */
export function loadRuntimeConfig(): Config {
  return loadConfig({ env: process.env, cwd: process.cwd() });
}

/** Creates the logger from configuration. */
export function createRuntimeLogger(config: Config): Logger {
  return createLogger({ level: config.log.level, pretty: config.log.pretty });
}

/** Opens the configured database. @throws DatabaseUnavailableError */
export function openConfiguredStore(config: Config): Promise<Store> {
  return openStore(
    config.database.kind === 'pglite'
      ? { kind: 'pglite', dir: config.database.dir }
      : { kind: 'postgres', url: config.database.url, poolSize: config.database.poolSize },
  );
}

/** A running broker. */
export interface RunningBroker {
  readonly partnerServer: HttpsServer;
  readonly opsServer: HttpServer;
  readonly store: Store;
  /** Stops accepting, drains in-flight requests, closes pools. Idempotent. */
  stop(): Promise<void>;
}

async function serverCredentials(config: Config, logger: Logger): Promise<ServerCredentials> {
  if (config.pki.certFile !== undefined && config.pki.keyFile !== undefined && config.pki.caFile !== undefined) {
    return {
      cert: readFileSync(config.pki.certFile, 'utf8'),
      key: readFileSync(config.pki.keyFile, 'utf8'),
      ca: readFileSync(config.pki.caFile, 'utf8'),
    };
  }
  if (await ensureDevPki(config.pki.dir)) logger.info({ dir: config.pki.dir }, 'created a development PKI');
  return readServerCredentials(config.pki.dir);
}

/**
 * Starts the broker: database (migrated), TLS material, the partner port and the ops port.
 *
 * @throws ConfigError, DatabaseUnavailableError, or a listen error (port in use).
 */
export async function startBroker(config: Config, logger: Logger): Promise<RunningBroker> {
  const store = await openConfiguredStore(config);
  try {
    await migrate(store.db);
    const tls = await serverCredentials(config, logger);
    const metrics = createHttpMetrics();
    let accepting = true;
    const app = createApp({
      logger,
      metrics,
      maxBodyBytes: config.http.maxBodyBytes,
      routes: [whoamiRoutes()],
    });
    const opsApp = createOpsApp({
      logger,
      registry: metrics.registry,
      readiness: [{ name: 'database', check: () => store.ping() }],
      isAccepting: () => accepting,
    });
    const partnerServer = await startPartnerServer({ host: config.http.host, port: config.http.port, tls, app });
    const opsServer = await startOpsServer({ host: config.ops.host, port: config.ops.port, app: opsApp });
    let stopping: Promise<void> | undefined;
    return {
      partnerServer,
      opsServer,
      store,
      stop() {
        stopping ??= (async () => {
          accepting = false;
          await drain(partnerServer, config.shutdownGraceMs);
          await drain(opsServer, 1_000);
          await store.close();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}
