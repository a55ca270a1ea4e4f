// The composition root: the only place that reads process.env, opens pools, reads key files and starts servers.
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Logger } from 'pino';
import { readServerCredentials, pkiPaths, type ServerCredentials } from '../keys/dev-pki.ts';
import { refreshCrlsIfDue } from '../keys/crl.ts';
import { ensurePki } from '../keys/pki-setup.ts';
import { crlFiles } from '../keys/pki-files.ts';
import type { AuditAppender } from './audit/contract.ts';
import { createLazyAppender, openDisclosureLog } from './audit/runtime.ts';
import { readerFromIdentity } from './audit/routes.ts';
import { trackConnections } from './identity/connections.ts';
import { seedDemo } from './identity/demo-seed.ts';
import { identityGuard } from './identity/guard.ts';
import { createIdentityAudit } from './identity/identity-audit.ts';
import { forwardLedger } from './identity/ledger-forwarder.ts';
import { nodePeerCertificate } from './identity/peer-certificate.ts';
import { createRegistry, type Registry } from './identity/registry.ts';
import { cacheRegistry } from './identity/registry-cache.ts';
import { watchRevocations } from './identity/revocation-watch.ts';
import { createTrustStore } from './identity/trust-store.ts';
import { loadConfig, type Config } from './config/config.ts';
import { createApp } from './http/app.ts';
import { createHttpMetrics } from './http/metrics.ts';
import { createOpsApp } from './http/ops-app.ts';
import { registerLimitGauges } from './http/limit-gauges.ts';
import { openApiRoutes } from './http/openapi-routes.ts';
import { partnerLimits } from './http/partner-limits.ts';
import { nodeRemoteAddress, refusalLimits } from './http/refusal-limits.ts';
import { drain, startOpsServer, startPartnerServer } from './http/servers.ts';
import { whoamiRoutes } from './identity/whoami-routes.ts';
import { evaluationRoutes } from './policy/evaluation-routes.ts';
import { Agent, fetch as undiciFetch } from 'undici';
import type { CircuitState } from '../adapters/circuit-breaker.ts';
import type { Adapter } from '../adapters/contract.ts';
import { loadConfiguredAdapters } from '../adapters/configured.ts';
import { createDemoReferenceAdapters } from '../adapters/reference/demo-reference.ts';
import { createReferenceStoreAdapter } from '../adapters/reference/reference-store.ts';
import { createReferenceRecords } from './store/reference-records.ts';
import { loadCatalogue as loadPolicyCatalogue } from './catalogue.ts';
import { createFlow } from './flow.ts';
import { identityOf, requirePerson, requireUser } from './identity/require.ts';
import {
  extractionConnections,
  indicatorRoutes,
  loadCatalogue as loadIndicatorCatalogue,
} from './indicators/index.ts';
import { createSubjectSealer } from './requests/sealed-subject.ts';
import { ensureSealKey } from './requests/seal-key-file.ts';
import { DEFAULT_BUNDLE_FILE } from './policy/paths.ts';
import { startPolicy } from './policy/runtime.ts';
import { parseBundlePublicKey } from './policy/bundle-keys.ts';
import {
  createInputRecorder,
  createOpaRunner,
  createPolicyLifecycle,
  ensurePolicyKey,
  locateOpa,
  policyLifecycleRoutes,
  startPolicyWatcher,
} from './policy/lifecycle/index.ts';
import { POLICIES_DIR } from './policy/paths.ts';
import {
  breakglassPages,
  catalogueInForce,
  policyPages,
  releasedItemsReader,
  reviewPages,
  uiRoutes,
} from './ui/index.ts';
import { indicatorPages } from './ui/indicators/indicator-pages.ts';
import { createLogger } from './logger.ts';
import { startReviewWebhooks } from './webhooks/index.ts';
import { seedDemoCases } from './demo/serve-seed.ts';
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

/**
 * The audit appender for a short-lived command (registry administration): the disclosure log,
 * opened on first append with the configured keys.
 */
export function openAuditAppender(
  store: Store,
  logger: Logger,
  config: Config = loadRuntimeConfig(),
): AuditAppender {
  return createLazyAppender(
    async () => (await openDisclosureLog({ db: store.db, settings: config.audit, logger })).log,
  );
}

/** The partner and people registry over the store, recording changes through the audit appender. */
export function openRegistry(store: Store, logger: Logger): Registry {
  return createRegistry(store.db, createIdentityAudit(openAuditAppender(store, logger), logger));
}

/** The client-certificate trust anchors and CRLs: configured files, or the dev PKI's. */
function trustFiles(config: Config): { caFiles: string[]; crlFiles: string[] } {
  const dev = crlFiles(config.pki.dir);
  return {
    caFiles: [...(config.pki.trustCaFiles ?? [config.pki.caFile ?? pkiPaths(config.pki.dir).caBundle])],
    crlFiles: [
      ...(config.pki.trustCrlFiles ?? (config.pki.certFile === undefined ? [dev.root, dev.issuing] : [])),
    ],
  };
}

/**
 * The undici Agent the holders' sources are reached with: the broker's client certificate, TLS 1.2
 * or newer, and the source's certificate always verified (pinned, so that
 * NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment cannot switch verification off).
 */
export function sourceAgent(tls: { cert: string; key: string; ca?: string }): Agent {
  return new Agent({ connect: { ...tls, minVersion: 'TLSv1.2', rejectUnauthorized: true } });
}

/**
 * The holders' sources: HTTPS adapters from SCHAKEL_ADAPTERS_FILE (mutual TLS with the broker's
 * client certificate), else the demo simulator when demo data is on, else none (permitted items
 * then answer `error`, never `not_found`).
 */
async function openAdapters(
  config: Config,
  store: Store,
  categories: Readonly<Record<string, { holder_kind: string }>>,
  logger: Logger,
  breakers: Map<string, CircuitState>,
  audit: {
    readonly pseudonyms: { pseudonym(bsn: string): string; candidates(bsn: string): string[] };
    readonly log: AuditAppender;
  },
): Promise<(holderPartnerId: string) => Adapter | undefined> {
  const { adaptersFile, clientCertFile, clientKeyFile } = config.flow;
  // One reference store for every holder: the reads of one turn of the event loop share a statement.
  const referenceRecords = createReferenceRecords(store.db);
  if (adaptersFile !== undefined && clientCertFile !== undefined && clientKeyFile !== undefined) {
    const dispatcher = sourceAgent({
      cert: readFileSync(clientCertFile, 'utf8'),
      key: readFileSync(clientKeyFile, 'utf8'),
      // With SCHAKEL_ADAPTER_CA_FILE only those CAs vouch for a source, not every public CA in Node's store.
      ...(config.flow.adapterCaFile === undefined
        ? {}
        : { ca: readFileSync(config.flow.adapterCaFile, 'utf8') }),
    });
    // undici's own fetch: the global one may be a different undici that ignores this dispatcher.
    const mtlsFetch = ((input: string | URL, init?: Parameters<typeof undiciFetch>[1]) =>
      undiciFetch(input, { ...init, dispatcher })) as unknown as typeof fetch;
    return loadConfiguredAdapters(adaptersFile, mtlsFetch, {
      breaker: config.flow.breaker,
      // Holders whose extracts are kept in our own database: looked up by pseudonym, never by BSN.
      reference: (holder, categories) =>
        createReferenceStoreAdapter({
          holder,
          categories,
          records: referenceRecords,
          pseudonyms: (bsn) => audit.pseudonyms.candidates(bsn),
        }),
      onBreakerChange: (holder, state, previous) => {
        breakers.set(holder, state);
        (state === 'open' ? logger.warn : logger.info).call(
          logger,
          { holder, state, previous },
          'holder source circuit breaker changed state',
        );
      },
    });
  }
  if (config.demo) {
    logger.warn(
      'partner sources are SIMULATED with fictitious demo data (SCHAKEL_DEMO); set SCHAKEL_ADAPTERS_FILE in production',
    );
    const partners = await store.db.selectFrom('partners').select(['id', 'kind']).execute();
    // The demo goes through the real reference transport: fictitious records, seeded once and logged.
    return createDemoReferenceAdapters({
      partners,
      categories,
      store: referenceRecords,
      pseudonyms: audit.pseudonyms,
      logImport: (holder, details) =>
        audit.log.append({
          type: 'reference.imported',
          processingActivity: 'reference-administration',
          // Not `holder`: that would make it the holder's entry; an import is for the auditor.
          details: { holder, ...details },
        }),
    });
  }
  logger.warn('no partner sources configured (SCHAKEL_ADAPTERS_FILE): permitted items answer "error"');
  return () => undefined;
}

/** A running broker. */
export interface RunningBroker {
  readonly partnerServer: HttpsServer;
  /** The partner API (its mounted routes are walked by the OpenAPI coverage test). */
  readonly app: ReturnType<typeof createApp>;
  readonly opsServer: HttpServer;
  readonly store: Store;
  /** Stops accepting, drains in-flight requests, closes pools. Idempotent. */
  stop(): Promise<void>;
}

async function serverCredentials(config: Config, logger: Logger): Promise<ServerCredentials> {
  if (
    config.pki.certFile !== undefined &&
    config.pki.keyFile !== undefined &&
    config.pki.caFile !== undefined
  ) {
    return {
      cert: readFileSync(config.pki.certFile, 'utf8'),
      key: readFileSync(config.pki.keyFile, 'utf8'),
      ca: readFileSync(config.pki.caFile, 'utf8'),
    };
  }
  if (await ensurePki(config.pki.dir)) logger.info({ dir: config.pki.dir }, 'created a development PKI');
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
    const startBundle = readFileSync(config.policy.bundleFile ?? DEFAULT_BUNDLE_FILE);
    const policy = await startPolicy(
      {
        bundle: startBundle,
        publicKeyPem:
          config.policy.publicKeyFile === undefined
            ? undefined
            : readFileSync(config.policy.publicKeyFile, 'utf8'),
        maxMemoryBytes: config.policy.maxMemoryBytes,
      },
      logger,
    );
    const devPki = config.pki.certFile === undefined;
    const audit = await openDisclosureLog({ db: store.db, settings: config.audit, logger });
    const policyKey = ensurePolicyKey(config.policy.signingKeyFile);
    if (policyKey.created)
      logger.info({ file: config.policy.signingKeyFile }, 'created the policy signing key');
    const opaPath = locateOpa(config.policy.opaPath, process.env);
    if (opaPath === undefined)
      logger.warn('opa not found: policy proposals cannot be built (SCHAKEL_OPA_PATH)');
    const lifecycle = createPolicyLifecycle({
      db: store.db,
      audit: audit.log,
      policy,
      policiesDir: POLICIES_DIR,
      opa: opaPath === undefined ? undefined : createOpaRunner(opaPath),
      key: policyKey,
      uploadKeys:
        config.policy.publicKeyFile === undefined
          ? []
          : [parseBundlePublicKey(readFileSync(config.policy.publicKeyFile, 'utf8'))],
      maxMemoryBytes: config.policy.maxMemoryBytes,
      logger,
    });
    await lifecycle.registerBaseline(startBundle, policy.revision()!);
    const inputs = createInputRecorder({
      db: store.db,
      logger,
      retentionDays: config.policy.inputRetentionDays,
    });
    let lastPrune = 0;
    const watcher = startPolicyWatcher({
      db: store.db,
      policy,
      trust: lifecycle.trust,
      maxMemoryBytes: config.policy.maxMemoryBytes,
      logger,
      intervalMs: config.policy.pollMs,
      onTick: async () => {
        if (Date.now() - lastPrune < 3_600_000) return;
        lastPrune = Date.now();
        await inputs.prune();
      },
    });
    // Start on the revision privacy officers activated, when there is one.
    await watcher.sync();
    const identityAudit = createIdentityAudit(audit.log, logger);
    // Partners and people are read once per REGISTRY_CACHE_MS, not on every request (docs in registry-cache.ts).
    const registry = cacheRegistry(createRegistry(store.db, identityAudit));
    if (config.demo && devPki) {
      const seeded = await seedDemo(config.pki.dir, registry);
      if (seeded.issued + seeded.registered > 0) logger.info(seeded, 'seeded demo partners and people');
    }
    const trust = createTrustStore(trustFiles(config));
    const trustStatus = trust.status();
    if (!trustStatus.ok) {
      logger.error(
        { problems: trustStatus.problems },
        'CRLs unusable: every caller is refused until they are renewed',
      );
    }
    if (trust.material().crl.length === 0) {
      // Not a refusal to start, but never a quiet default: with SCHAKEL_TLS_CERT_FILE the dev PKI's
      // CRLs are not used, and nothing else would tell the operator that revocation is off.
      logger.error(
        { setting: 'SCHAKEL_TRUST_CRL_FILES', revocationChecked: false },
        'REVOCATION IS OFF: no CRLs configured (SCHAKEL_TRUST_CRL_FILES), so a revoked client certificate is accepted',
      );
    }
    const catalogue = loadPolicyCatalogue();
    const seal = ensureSealKey(config.flow.sealKeyFile);
    if (seal.created) logger.info({ file: config.flow.sealKeyFile }, 'created a subject sealing key');
    const breakers = new Map<string, CircuitState>();
    const adapters = await openAdapters(config, store, catalogue.categories, logger, breakers, audit);
    const { clientCertFile, clientKeyFile } = config.flow;
    // Receivers are trusted as the partners' sources are, unless webhooks name their own CAs.
    const webhookCaFile = config.webhooks.caFile ?? config.flow.adapterCaFile;
    const webhooks = startReviewWebhooks({
      db: store.db,
      keyring: audit.keyring,
      logger,
      settings: config.webhooks,
      client:
        clientCertFile === undefined || clientKeyFile === undefined
          ? undefined
          : {
              cert: readFileSync(clientCertFile, 'utf8'),
              key: readFileSync(clientKeyFile, 'utf8'),
              ...(webhookCaFile === undefined ? {} : { ca: readFileSync(webhookCaFile, 'utf8') }),
            },
    });
    const flow = createFlow({
      db: store.db,
      ...(webhooks.onReviewCreated === undefined ? {} : { onReviewCreated: webhooks.onReviewCreated }),
      audit: audit.log,
      receipts: audit.receipts,
      holdersOfKinds: (kinds) => registry.partnersOfKinds(kinds),
      catalogue,
      pseudonyms: audit.pseudonyms,
      decide: (input) => {
        const decision = policy.decide(input);
        inputs.record(input, decision);
        return decision;
      },
      check: (input) => policy.decide(input),
      adapters,
      sealer: createSubjectSealer(seal.key),
      getCaller: (c) => requireUser(c),
      getRequester: (c) => requireUser(c),
      getPrivacyOfficer: (c) => {
        const person = requirePerson(c, ['privacy_officer']);
        return { id: person.id, partnerId: person.partnerId };
      },
    });
    if (config.demo && devPki) {
      const seededCases = await seedDemoCases(store.db, flow.services);
      if (seededCases !== undefined) logger.info(seededCases, 'seeded a demo case and consent');
    }
    const findPolicyCase = async (caseId: string) => {
      const record = await flow.cases.load(caseId);
      return record === undefined
        ? null
        : {
            id: record.id,
            status: record.status,
            phase: record.phase,
            subject_pseudonym: record.subjectPseudonym,
            lead_partner: record.leadPartnerId,
            emergency: record.emergency,
            members: record.members.map((m) => ({ partner_id: m.partnerId, role: m.role })),
          };
    };
    const forward = () => {
      if (devPki) {
        forwardLedger(config.pki.dir, identityAudit).catch((error: unknown) =>
          logger.error({ err: error }, 'could not forward PKI ledger events to the audit log'),
        );
      }
    };
    forward();
    const metrics = createHttpMetrics();
    registerLimitGauges(metrics.registry, {
      auditPending: () => audit.log.pending,
      breakers: () => breakers,
    });
    // The review and break-glass pages show the catalogue of the revision in force, as the policy pages do.
    const uiCatalogue = catalogueInForce(lifecycle);
    let accepting = true;
    const app = createApp({
      logger,
      metrics,
      maxBodyBytes: config.http.maxBodyBytes,
      guards: [
        refusalLimits({
          perSecond: config.limits.refusalsPerSecond,
          burst: config.limits.refusalsBurst,
          getAddress: nodeRemoteAddress,
        }),
        identityGuard({ getPeerCertificate: nodePeerCertificate, registry, trust, audit: identityAudit }),
        partnerLimits(config.limits),
      ],
      routes: [
        whoamiRoutes(),
        openApiRoutes(),
        audit.routes((c) => readerFromIdentity(c.get('identity'))),
        evaluationRoutes({
          policy,
          findCase: findPolicyCase,
          pseudonymize: (bsn) => audit.pseudonyms.pseudonym(bsn),
          now: Date.now,
        }),
        ...flow.routes,
        indicatorRoutes({
          db: store.db,
          catalogue: loadIndicatorCatalogue(),
          k: config.indicators.k,
          connections: extractionConnections(config.database),
        }),
        policyLifecycleRoutes({
          lifecycle,
          getOfficer: (c) => {
            const person = requirePerson(c, ['privacy_officer']);
            return { id: person.id, partnerId: person.partnerId, partnerKind: identityOf(c).partner.kind };
          },
        }),
        uiRoutes({
          pages: [
            reviewPages({ reviews: flow.services.reviews, db: store.db, catalogue: uiCatalogue }),
            breakglassPages({
              breakglass: flow.services.breakglass,
              releasedItems: releasedItemsReader(store.db),
              catalogue: uiCatalogue,
            }),
            policyPages({ lifecycle }),
            indicatorPages({
              db: store.db,
              catalogue: loadIndicatorCatalogue(),
              k: config.indicators.k,
              connections: extractionConnections(config.database),
            }),
          ],
        }),
      ],
    });
    const opsApp = createOpsApp({
      logger,
      registry: metrics.registry,
      readiness: [
        { name: 'database', check: () => store.ping() },
        { name: 'trust', check: () => trust.status().ok },
        { name: 'policy', check: () => policy.ready() },
      ],
      isAccepting: () => accepting,
    });
    const partnerServer = await startPartnerServer({
      host: config.http.host,
      port: config.http.port,
      tls: { ...tls, ca: trust.material().ca, crl: trust.material().crl },
      app,
      timeouts: config.http,
    });
    const tracker = trackConnections(partnerServer);
    watchRevocations({
      server: partnerServer,
      trust,
      tracker,
      serverCredentials: tls,
      logger,
      intervalMs: config.pki.crlPollMs,
      onReload: forward,
    });
    // The dev PKI re-signs its CRLs before nextUpdate; production CRLs are replaced by the operator's job.
    const crlTimer = devPki
      ? setInterval(
          () => {
            refreshCrlsIfDue(config.pki.dir).catch((error: unknown) =>
              logger.error({ err: error }, 'could not refresh the dev PKI CRLs'),
            );
          },
          60 * 60 * 1000,
        )
      : undefined;
    crlTimer?.unref();
    const opsServer = await startOpsServer({ host: config.ops.host, port: config.ops.port, app: opsApp });
    let stopping: Promise<void> | undefined;
    return {
      partnerServer,
      app,
      opsServer,
      store,
      stop() {
        stopping ??= (async () => {
          accepting = false;
          clearInterval(crlTimer);
          trust.close();
          await drain(partnerServer, config.shutdownGraceMs);
          await drain(opsServer, 1_000);
          watcher.stop();
          await webhooks.stop();
          await inputs.flush();
          await audit.close();
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
