// Configuration: one schema for environment variables and the optional JSON file, validated at start-up.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const portSchema = z.coerce.number().int().min(0).max(65_535);
const boolSchema = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
]);

/** Every setting, by its environment name. The config file uses the same names without the prefix. */
const settingsSchema = z
  .object({
    SCHAKEL_DATA_DIR: z.string().min(1).default('./var'),
    SCHAKEL_DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    SCHAKEL_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    SCHAKEL_HOST: z.string().min(1).default('127.0.0.1'),
    SCHAKEL_PORT: portSchema.default(8443),
    SCHAKEL_OPS_HOST: z.string().min(1).default('127.0.0.1'),
    SCHAKEL_OPS_PORT: portSchema.default(9464),
    SCHAKEL_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    SCHAKEL_LOG_PRETTY: boolSchema.optional(),
    SCHAKEL_PKI_DIR: z.string().min(1).optional(),
    SCHAKEL_TLS_CERT_FILE: z.string().min(1).optional(),
    SCHAKEL_TLS_KEY_FILE: z.string().min(1).optional(),
    SCHAKEL_TLS_CA_FILE: z.string().min(1).optional(),
    SCHAKEL_MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
    SCHAKEL_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
    /** Slow clients: the TLS handshake and the request headers must arrive within this time. */
    SCHAKEL_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
    /** Slow clients: the whole request (headers and body) must arrive within this time. */
    SCHAKEL_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
    SCHAKEL_KEEPALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
    /** Per partner: sustained requests per second (token bucket refill) and burst; 0 switches the rate limit off. */
    SCHAKEL_RATE_PER_SECOND: z.coerce.number().min(0).max(100_000).default(100),
    SCHAKEL_RATE_BURST: z.coerce.number().int().min(1).max(100_000).default(200),
    /** Per partner: requests in progress at once; 0 switches the limit off. */
    SCHAKEL_RATE_MAX_CONCURRENT: z.coerce.number().int().min(0).max(10_000).default(32),
    /** Per client address: refused (401) requests per second and burst before it gets 429; 0 switches it off. */
    SCHAKEL_REFUSALS_PER_SECOND: z.coerce.number().min(0).max(100_000).default(2),
    SCHAKEL_REFUSALS_BURST: z.coerce.number().int().min(1).max(100_000).default(50),
    /** Per holder source: consecutive failures that open its circuit breaker, and how long it stays open. */
    SCHAKEL_ADAPTER_BREAKER_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
    SCHAKEL_ADAPTER_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
    SCHAKEL_DEMO: boolSchema.optional(),
    /** 32-byte key (file) sealing the BSN while a request waits for reviews; created in development. */
    SCHAKEL_SUBJECT_SEAL_KEY_FILE: z.string().min(1).optional(),
    /** JSON file: per holder partner id, its source's transport (http, fhir, reference), url and categories. */
    SCHAKEL_ADAPTERS_FILE: z.string().min(1).optional(),
    /** PEM bundle of the CAs trusted for partner sources' server certificates (instead of Node's store). */
    SCHAKEL_ADAPTER_CA_FILE: z.string().min(1).optional(),
    /** The broker's client certificate and key for calling partner sources over mutual TLS. */
    SCHAKEL_ADAPTER_CLIENT_CERT_FILE: z.string().min(1).optional(),
    SCHAKEL_ADAPTER_CLIENT_KEY_FILE: z.string().min(1).optional(),
    SCHAKEL_AUDIT_SIGNING_KEYS_FILE: z.string().min(1).optional(),
    SCHAKEL_PSEUDONYM_KEYS_FILE: z.string().min(1).optional(),
    SCHAKEL_AUDIT_WITNESS_FILE: z.string().min(1).optional(),
    // Bpg 6:4 and Wjsg 39j ask at least 4 years; 5 where care logging (NEN 7513) applies.
    SCHAKEL_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1461).max(36_500).default(1826),
    SCHAKEL_AUDIT_MAX_BATCH: z.coerce.number().int().min(1).max(5000).default(1000),
    /** Records waiting for the log at most; beyond it new work is refused with 503 instead of queued. */
    SCHAKEL_AUDIT_MAX_QUEUE: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
    /** A policy bundle to load instead of the committed default; it must be signed. */
    SCHAKEL_POLICY_BUNDLE: z.string().min(1).optional(),
    /** PEM public key (ES256) that bundles given with SCHAKEL_POLICY_BUNDLE must be signed with. */
    SCHAKEL_POLICY_PUBLIC_KEY_FILE: z.string().min(1).optional(),
    /** Upper bound of the policy's wasm memory, in MiB. */
    SCHAKEL_POLICY_MAX_MEMORY_MB: z.coerce.number().int().min(2).max(1024).default(32),
    /** The broker's policy key (PEM, P-256): signs activated bundles; generated when absent. */
    SCHAKEL_POLICY_SIGNING_KEY_FILE: z.string().min(1).optional(),
    /** How long each decision's policy input (pseudonyms only) is kept for replaying proposals. */
    SCHAKEL_POLICY_INPUT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    /** How often each broker process checks the database for a newly activated policy revision. */
    SCHAKEL_POLICY_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
    /** The opa binary for building proposals (default: opa on PATH, ~/go/bin/opa). */
    SCHAKEL_OPA_PATH: z.string().min(1).optional(),
    /** Comma-separated CA files client certificates may chain to (default: the dev PKI's ca.pem or SCHAKEL_TLS_CA_FILE). */
    SCHAKEL_TRUST_CA_FILES: z.string().min(1).optional(),
    /** Comma-separated CRL files, one CRL per CA level (default: the dev PKI's crl/*.pem). */
    SCHAKEL_TRUST_CRL_FILES: z.string().min(1).optional(),
    SCHAKEL_CRL_POLL_MS: z.coerce.number().int().min(50).max(500).default(250),
    /** Indicator cells describing fewer than this many persons read "<k"; only raising 5 is allowed. */
    SCHAKEL_INDICATORS_K: z.coerce.number().int().min(5).max(1000).default(5),
    /** CA bundle (PEM) review webhook receivers must chain to (default: SCHAKEL_ADAPTER_CA_FILE, else the system CAs). */
    SCHAKEL_WEBHOOK_CA_FILE: z.string().min(1).optional(),
    /** Review webhooks: attempts per delivery before giving up, the first retry delay (doubling), the queue bound. */
    SCHAKEL_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    SCHAKEL_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(5_000),
    SCHAKEL_WEBHOOK_MAX_QUEUE: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
    SCHAKEL_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    SCHAKEL_WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
    /** Retention (days): closed cases, consents after expiry or withdrawal, decided or cancelled reviews. */
    SCHAKEL_RETENTION_CASE_DAYS: z.coerce.number().int().min(1).max(36_500).default(1826),
    SCHAKEL_RETENTION_CONSENT_DAYS: z.coerce.number().int().min(1).max(36_500).default(365),
    SCHAKEL_RETENTION_REVIEW_DAYS: z.coerce.number().int().min(1).max(36_500).default(365),
  })
  .strict();

type Settings = z.infer<typeof settingsSchema>;

/** The validated configuration the composition root wires from. Paths are absolute. */
export interface Config {
  readonly dataDir: string;
  readonly database:
    | { readonly kind: 'pglite'; readonly dir: string }
    | { readonly kind: 'postgres'; readonly url: string; readonly poolSize: number };
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly maxBodyBytes: number;
    readonly headersTimeoutMs: number;
    readonly requestTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
  };
  /** Per-partner limits on the partner port (0 = off). */
  readonly limits: {
    readonly ratePerSecond: number;
    readonly burst: number;
    readonly maxConcurrent: number;
    /** Per client address: refused requests per second and burst. */
    readonly refusalsPerSecond: number;
    readonly refusalsBurst: number;
  };
  readonly ops: { readonly host: string; readonly port: number };
  readonly log: { readonly level: (typeof LOG_LEVELS)[number]; readonly pretty: boolean | undefined };
  readonly pki: {
    readonly dir: string;
    /** Explicit server credentials and trust anchors; when absent the dev PKI under `dir` is used. */
    readonly certFile: string | undefined;
    readonly keyFile: string | undefined;
    readonly caFile: string | undefined;
    /** Client-certificate trust anchors and their CRLs; undefined means the dev PKI's. */
    readonly trustCaFiles: readonly string[] | undefined;
    readonly trustCrlFiles: readonly string[] | undefined;
    /** How often the CRL and CA files are polled for changes (at most 500 ms). */
    readonly crlPollMs: number;
  };
  readonly shutdownGraceMs: number;
  /** Seed demo partners and people (default: on for the embedded database, off on PostgreSQL). */
  readonly demo: boolean;
  /** The request flow: the sealing key file and how holders' sources are reached. */
  readonly flow: {
    readonly sealKeyFile: string;
    readonly adaptersFile: string | undefined;
    readonly clientCertFile: string | undefined;
    readonly clientKeyFile: string | undefined;
    /** The CAs partner sources' server certificates must chain to; undefined: Node's default store. */
    readonly adapterCaFile: string | undefined;
    /** Each configured source's circuit breaker. */
    readonly breaker: { readonly failureThreshold: number; readonly coolDownMs: number };
  };
  /** The disclosure log: key files, the witness copy outside the database, retention. */
  readonly audit: {
    readonly signingKeysFile: string;
    readonly pseudonymKeysFile: string;
    readonly witnessFile: string;
    readonly retentionDays: number;
    readonly maxBatch: number;
    readonly maxQueue: number;
  };
  /** Evaluation indicators: the small-cell suppression threshold. */
  readonly indicators: { readonly k: number };
  /** Review webhooks to holders (broker/webhooks). */
  readonly webhooks: {
    readonly caFile: string | undefined;
    readonly maxAttempts: number;
    readonly backoffMs: number;
    readonly maxQueue: number;
    readonly timeoutMs: number;
    readonly pollMs: number;
  };
  /** Retention periods in days (broker/retention); policy inputs use policy.inputRetentionDays. */
  readonly retention: {
    readonly caseDays: number;
    readonly consentDays: number;
    readonly reviewDays: number;
  };
  readonly policy: {
    /** A signed bundle to load; undefined: the committed default bundle (unsigned, pinned by tests). */
    readonly bundleFile: string | undefined;
    readonly publicKeyFile: string | undefined;
    readonly maxMemoryBytes: number;
    /** The broker's policy signing key file (created when absent). */
    readonly signingKeyFile: string;
    readonly inputRetentionDays: number;
    readonly pollMs: number;
    /** A configured opa binary; undefined: look on PATH. */
    readonly opaPath: string | undefined;
  };
}

export interface LoadConfigOptions {
  /** The process environment (only main.ts passes process.env). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
}

/**
 * Reads settings from `SCHAKEL_CONFIG_FILE` (JSON, keys without the `SCHAKEL_` prefix) overlaid by
 * `SCHAKEL_*` environment variables, and validates them all at once.
 *
 * @throws ConfigError (ERR_CONFIG) naming every bad or unknown setting and every unreadable file.
 * @example const config = loadConfig({ env: process.env, cwd: process.cwd() });
 */
export function loadConfig({ env, cwd }: LoadConfigOptions): Config {
  const problems: string[] = [];
  const raw: Record<string, unknown> = {};

  const file = env.SCHAKEL_CONFIG_FILE;
  if (file !== undefined && file !== '') {
    const fromFile = readConfigFile(path.resolve(cwd, file), problems);
    for (const [key, value] of Object.entries(fromFile)) raw[`SCHAKEL_${key}`] = value;
  }
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith('SCHAKEL_') || key === 'SCHAKEL_CONFIG_FILE' || value === undefined) continue;
    // The test suite's and the benchmarks' own settings, never the broker's.
    if (key.startsWith('SCHAKEL_TEST_') || key.startsWith('SCHAKEL_BENCH_')) continue;
    raw[key] = value;
  }

  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) problems.push(`${key}: unknown setting`);
      } else {
        const key = issue.path.join('.');
        problems.push(`${key}: ${issue.message} (got ${JSON.stringify(raw[key] ?? null)})`);
      }
    }
    throw new ConfigError(problems);
  }
  if (parsed.data.SCHAKEL_HEADERS_TIMEOUT_MS > parsed.data.SCHAKEL_REQUEST_TIMEOUT_MS) {
    problems.push('SCHAKEL_HEADERS_TIMEOUT_MS: must not exceed SCHAKEL_REQUEST_TIMEOUT_MS');
  }
  const config = toConfig(parsed.data, cwd);
  checkFiles(config, problems);
  checkPolicyFiles(config, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function readConfigFile(file: string, problems: string[]): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`SCHAKEL_CONFIG_FILE: ${file} must hold a JSON object`);
      return {};
    }
    return value as Record<string, unknown>;
  } catch (error) {
    problems.push(`SCHAKEL_CONFIG_FILE: cannot read ${file}: ${(error as Error).message}`);
    return {};
  }
}

function toConfig(s: Settings, cwd: string): Config {
  const dataDir = path.resolve(cwd, s.SCHAKEL_DATA_DIR);
  const resolve = (p: string | undefined) => (p === undefined ? undefined : path.resolve(cwd, p));
  const database: Config['database'] =
    s.SCHAKEL_DATABASE_URL === undefined
      ? { kind: 'pglite', dir: path.join(dataDir, 'db') }
      : { kind: 'postgres', url: s.SCHAKEL_DATABASE_URL, poolSize: s.SCHAKEL_DB_POOL_SIZE };
  return {
    dataDir,
    database,
    http: {
      host: s.SCHAKEL_HOST,
      port: s.SCHAKEL_PORT,
      maxBodyBytes: s.SCHAKEL_MAX_BODY_BYTES,
      headersTimeoutMs: s.SCHAKEL_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: s.SCHAKEL_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: s.SCHAKEL_KEEPALIVE_TIMEOUT_MS,
    },
    limits: {
      ratePerSecond: s.SCHAKEL_RATE_PER_SECOND,
      burst: s.SCHAKEL_RATE_BURST,
      maxConcurrent: s.SCHAKEL_RATE_MAX_CONCURRENT,
      refusalsPerSecond: s.SCHAKEL_REFUSALS_PER_SECOND,
      refusalsBurst: s.SCHAKEL_REFUSALS_BURST,
    },
    ops: { host: s.SCHAKEL_OPS_HOST, port: s.SCHAKEL_OPS_PORT },
    log: { level: s.SCHAKEL_LOG_LEVEL, pretty: s.SCHAKEL_LOG_PRETTY },
    pki: {
      dir: resolve(s.SCHAKEL_PKI_DIR) ?? path.join(dataDir, 'pki'),
      certFile: resolve(s.SCHAKEL_TLS_CERT_FILE),
      keyFile: resolve(s.SCHAKEL_TLS_KEY_FILE),
      caFile: resolve(s.SCHAKEL_TLS_CA_FILE),
      trustCaFiles: list(s.SCHAKEL_TRUST_CA_FILES)?.map((f) => path.resolve(cwd, f)),
      trustCrlFiles: list(s.SCHAKEL_TRUST_CRL_FILES)?.map((f) => path.resolve(cwd, f)),
      crlPollMs: s.SCHAKEL_CRL_POLL_MS,
    },
    shutdownGraceMs: s.SCHAKEL_SHUTDOWN_GRACE_MS,
    demo: s.SCHAKEL_DEMO ?? database.kind === 'pglite',
    flow: {
      sealKeyFile: resolve(s.SCHAKEL_SUBJECT_SEAL_KEY_FILE) ?? path.join(dataDir, 'keys', 'subject-seal.key'),
      adaptersFile: resolve(s.SCHAKEL_ADAPTERS_FILE),
      clientCertFile: resolve(s.SCHAKEL_ADAPTER_CLIENT_CERT_FILE),
      clientKeyFile: resolve(s.SCHAKEL_ADAPTER_CLIENT_KEY_FILE),
      adapterCaFile: resolve(s.SCHAKEL_ADAPTER_CA_FILE),
      breaker: {
        failureThreshold: s.SCHAKEL_ADAPTER_BREAKER_FAILURES,
        coolDownMs: s.SCHAKEL_ADAPTER_BREAKER_COOLDOWN_MS,
      },
    },
    audit: {
      signingKeysFile:
        resolve(s.SCHAKEL_AUDIT_SIGNING_KEYS_FILE) ?? path.join(dataDir, 'keys', 'audit-signing.json'),
      pseudonymKeysFile:
        resolve(s.SCHAKEL_PSEUDONYM_KEYS_FILE) ?? path.join(dataDir, 'keys', 'pseudonym-keys.json'),
      witnessFile:
        resolve(s.SCHAKEL_AUDIT_WITNESS_FILE) ?? path.join(dataDir, 'audit-witness', 'checkpoint.json'),
      retentionDays: s.SCHAKEL_AUDIT_RETENTION_DAYS,
      maxBatch: s.SCHAKEL_AUDIT_MAX_BATCH,
      maxQueue: s.SCHAKEL_AUDIT_MAX_QUEUE,
    },
    indicators: { k: s.SCHAKEL_INDICATORS_K },
    webhooks: {
      caFile: resolve(s.SCHAKEL_WEBHOOK_CA_FILE),
      maxAttempts: s.SCHAKEL_WEBHOOK_MAX_ATTEMPTS,
      backoffMs: s.SCHAKEL_WEBHOOK_BACKOFF_MS,
      maxQueue: s.SCHAKEL_WEBHOOK_MAX_QUEUE,
      timeoutMs: s.SCHAKEL_WEBHOOK_TIMEOUT_MS,
      pollMs: s.SCHAKEL_WEBHOOK_POLL_MS,
    },
    retention: {
      caseDays: s.SCHAKEL_RETENTION_CASE_DAYS,
      consentDays: s.SCHAKEL_RETENTION_CONSENT_DAYS,
      reviewDays: s.SCHAKEL_RETENTION_REVIEW_DAYS,
    },
    policy: {
      bundleFile: resolve(s.SCHAKEL_POLICY_BUNDLE),
      publicKeyFile: resolve(s.SCHAKEL_POLICY_PUBLIC_KEY_FILE),
      maxMemoryBytes: s.SCHAKEL_POLICY_MAX_MEMORY_MB * 1024 * 1024,
      signingKeyFile:
        resolve(s.SCHAKEL_POLICY_SIGNING_KEY_FILE) ?? path.join(dataDir, 'keys', 'policy-signing.pem'),
      inputRetentionDays: s.SCHAKEL_POLICY_INPUT_RETENTION_DAYS,
      pollMs: s.SCHAKEL_POLICY_POLL_MS,
      opaPath: resolve(s.SCHAKEL_OPA_PATH),
    },
  };
}

function list(value: string | undefined): string[] | undefined {
  return value
    ?.split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function checkFiles(config: Config, problems: string[]): void {
  for (const [name, files] of [
    ['SCHAKEL_TRUST_CA_FILES', config.pki.trustCaFiles],
    ['SCHAKEL_TRUST_CRL_FILES', config.pki.trustCrlFiles],
  ] as const) {
    for (const file of files ?? []) {
      try {
        readFileSync(file);
      } catch (error) {
        problems.push(
          `${name}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`,
        );
      }
    }
  }
  const { adaptersFile, clientCertFile, clientKeyFile } = config.flow;
  if (adaptersFile !== undefined && (clientCertFile === undefined || clientKeyFile === undefined)) {
    problems.push(
      'SCHAKEL_ADAPTERS_FILE: set SCHAKEL_ADAPTER_CLIENT_CERT_FILE and SCHAKEL_ADAPTER_CLIENT_KEY_FILE too (sources are called over mutual TLS)',
    );
  }
  for (const [name, file] of [
    ['SCHAKEL_ADAPTERS_FILE', adaptersFile],
    ['SCHAKEL_ADAPTER_CLIENT_CERT_FILE', clientCertFile],
    ['SCHAKEL_ADAPTER_CLIENT_KEY_FILE', clientKeyFile],
    ['SCHAKEL_ADAPTER_CA_FILE', config.flow.adapterCaFile],
    ['SCHAKEL_WEBHOOK_CA_FILE', config.webhooks.caFile],
  ] as const) {
    if (file === undefined) continue;
    try {
      readFileSync(file);
    } catch (error) {
      problems.push(`${name}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    }
  }
  const files = [
    ['SCHAKEL_TLS_CERT_FILE', config.pki.certFile],
    ['SCHAKEL_TLS_KEY_FILE', config.pki.keyFile],
    ['SCHAKEL_TLS_CA_FILE', config.pki.caFile],
  ] as const;
  const given = files.filter(([, f]) => f !== undefined).length;
  if (given > 0 && given < 3) {
    problems.push(
      'SCHAKEL_TLS_CERT_FILE, SCHAKEL_TLS_KEY_FILE and SCHAKEL_TLS_CA_FILE: set all three or none',
    );
  }
  for (const [name, file] of files) {
    if (file === undefined) continue;
    try {
      readFileSync(file);
    } catch (error) {
      problems.push(`${name}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    }
  }
}

function checkPolicyFiles(config: Config, problems: string[]): void {
  const { bundleFile, publicKeyFile } = config.policy;
  // NOTE: a configured bundle is never trusted unsigned; only the committed default may be.
  if (bundleFile !== undefined && publicKeyFile === undefined) {
    problems.push(
      'SCHAKEL_POLICY_BUNDLE: set SCHAKEL_POLICY_PUBLIC_KEY_FILE too (configured bundles must be signed)',
    );
  }
  for (const [name, file] of [
    ['SCHAKEL_POLICY_BUNDLE', bundleFile],
    ['SCHAKEL_POLICY_PUBLIC_KEY_FILE', publicKeyFile],
  ] as const) {
    if (file === undefined) continue;
    try {
      readFileSync(file);
    } catch (error) {
      problems.push(`${name}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    }
  }
}
