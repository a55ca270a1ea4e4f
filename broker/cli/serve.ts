// `schakel serve`: start the broker and stop it cleanly on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import type { Command } from './command.ts';
import { EXIT_OK } from './command.ts';
import { createRuntimeLogger, loadRuntimeConfig, startBroker } from '../main.ts';
import { portOf } from '../http/servers.ts';
import { tryIt } from './try-it.ts';

export const serveCommand: Command = {
  path: ['serve'],
  summary: 'start the broker (partner API over mTLS, ops port over HTTP)',
  help: `Usage: schakel serve

Starts the broker. With no configuration it uses an embedded PGlite database under ./var/db,
a development PKI under ./var/pki (created when absent), the partner API on https://127.0.0.1:8443
and the ops port (healthz, readyz, metrics) on http://127.0.0.1:9464.

Configuration comes from SCHAKEL_* environment variables and an optional JSON file named by
SCHAKEL_CONFIG_FILE; see the README's Configuration section. SIGINT or SIGTERM drains in-flight
requests and closes the database.`,
  async run(args) {
    parseArgs({ args: [...args], options: {}, strict: true });
    const config = loadRuntimeConfig();
    const logger = createRuntimeLogger(config);
    const started = performance.now();
    const broker = await startBroker(config, logger);
    const port = portOf(broker.partnerServer);
    const opsPort = portOf(broker.opsServer);
    logger.info(
      {
        partnerApi: `https://${config.http.host}:${port}`,
        ops: `http://${config.ops.host}:${opsPort}`,
        database: broker.store.kind,
        startupMs: Math.round(performance.now() - started),
      },
      'schakel is listening',
    );
    process.stderr.write(
      `\nschakel is listening:\n  partner API  https://localhost:${port}  (mutual TLS)\n  ops          http://localhost:${opsPort}/readyz  /healthz  /metrics\n` +
        `  database     ${broker.store.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}/db (development only; production uses PostgreSQL)` : 'PostgreSQL'}\n\n` +
        `Try it:\n${tryIt(config.pki.dir, port, config.demo)}  curl http://localhost:${opsPort}/readyz\n\n`,
    );
    await new Promise<void>((resolve) => {
      const shutdown = (signal: NodeJS.Signals) => {
        logger.info({ signal }, 'shutting down: draining requests');
        broker.stop().then(resolve, (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          resolve();
        });
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
    logger.info('stopped');
    logger.flush();
    return EXIT_OK;
  },
};
