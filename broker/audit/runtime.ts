// Opens the disclosure log for a process: key files, appender with witness, receipts, queries and routes.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { RouteModule } from '../http/app.ts';
import type { Database } from '../store/schema.ts';
import type { AuditAppender } from './contract.ts';
import { createAuditLog, type AuditLog } from './appender.ts';
import { ensureKeyringFile, ensurePseudonymKeys, readKeyringFile } from './key-files.ts';
import { loadKeyring, publicJwks, type Keyring } from './keyring.ts';
import { createPseudonymizer, type Pseudonymizer } from './pseudonym.ts';
import { createAuditQueries, type AuditQueries } from './reader.ts';
import { createReceiptService, type ReceiptService } from './receipts.ts';
import { auditRoutes, type AuditRoutesDeps } from './routes.ts';
import { createFileWitness } from './witness.ts';

/** The log's settings (Config['audit']). */
export interface DisclosureLogSettings {
  readonly signingKeysFile: string;
  readonly pseudonymKeysFile: string;
  readonly witnessFile: string;
  readonly maxBatch: number;
  /** Most records waiting for a transaction before new ones are refused (default 10000). */
  readonly maxQueue?: number;
}

/** Everything the rest of the broker uses of the log. */
export interface DisclosureLog {
  readonly log: AuditLog;
  readonly keyring: Keyring;
  readonly receipts: ReceiptService;
  readonly queries: AuditQueries;
  readonly pseudonyms: Pseudonymizer;
  /** The HTTP routes, given how to tell who reads. */
  routes(getReader: AuditRoutesDeps['getReader']): RouteModule;
  /** Writes what is queued, then flushes the witness. */
  close(): Promise<void>;
}

/**
 * Opens the log. Creates the signing keyring and pseudonym key files when absent (development),
 * logging that it did; production provisions them (docs/audit.md).
 *
 * @example const audit = await openDisclosureLog({ db: store.db, settings: config.audit, logger });
 */
export async function openDisclosureLog(options: {
  readonly db: Kysely<Database>;
  readonly settings: DisclosureLogSettings;
  readonly logger: Logger;
}): Promise<DisclosureLog> {
  const { db, settings, logger } = options;
  const ring = await ensureKeyringFile(settings.signingKeysFile);
  if (ring.created) logger.info({ file: settings.signingKeysFile }, 'created an audit signing key');
  const keyring = await loadKeyring(ring.keyring);
  const pseudo = ensurePseudonymKeys(settings.pseudonymKeysFile);
  if (pseudo.created) logger.info({ file: settings.pseudonymKeysFile }, 'created a pseudonym key');
  const witness = createFileWitness(settings.witnessFile, (error) =>
    logger.error({ err: error, file: settings.witnessFile }, 'could not write the audit witness file'),
  );
  let lastOverloadLog = 0;
  const log = createAuditLog({
    db,
    keyring,
    maxBatch: settings.maxBatch,
    ...(settings.maxQueue === undefined ? {} : { maxQueue: settings.maxQueue }),
    witness,
    onFailure: (error, entries) =>
      logger.error({ err: error, entries }, 'audit batch failed: callers get 503'),
    onOverload: (pending) => {
      // One line per second at most: an overload must not also flood the logs.
      if (Date.now() - lastOverloadLog < 1_000) return;
      lastOverloadLog = Date.now();
      logger.warn({ pending }, 'audit queue full: refusing new work with 503');
    },
  });
  const receipts = createReceiptService({ db, keyring });
  const queries = createAuditQueries(db);
  // Re-read so a rotation (schakel audit keys rotate) publishes the new key without a restart.
  const jwks = () => {
    try {
      return publicJwks(readKeyringFile(settings.signingKeysFile));
    } catch {
      return keyring.jwks;
    }
  };
  return {
    log,
    keyring,
    receipts,
    queries,
    pseudonyms: createPseudonymizer(pseudo.keys),
    routes: (getReader) => auditRoutes({ queries, receipts, jwks, getReader }),
    close: () => log.close(),
  };
}

/**
 * An appender that opens the disclosure log on first use, for short-lived CLI processes that may
 * never write. Every append still resolves only after its commit.
 */
export function createLazyAppender(open: () => Promise<AuditAppender>): AuditAppender {
  let opened: Promise<AuditAppender> | undefined;
  return {
    async append(record) {
      opened ??= open();
      return (await opened).append(record);
    },
  };
}
