// Benchmark (figures, not assertions): sustained appends/s with chain and group commit on PostgreSQL, and verification speed.
// Usage: SCHAKEL_BENCH_DATABASE_URL=postgresql://... node bench/audit.ts [ENTRIES] [IN_FLIGHT] [MAX_BATCH] [VERIFY_WORKERS]
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { createAuditLog } from '../broker/audit/appender.ts';
import type { AuditRecord } from '../broker/audit/contract.ts';
import { generateKeyringFile, loadKeyring } from '../broker/audit/keyring.ts';
import { verifyLog } from '../broker/audit/verify.ts';
import { migrate, openStore } from '../broker/store/database.ts';

const adminUrl = process.env.SCHAKEL_BENCH_DATABASE_URL ?? process.env.SCHAKEL_TEST_DATABASE_URL;
if (adminUrl === undefined) {
  console.error('set SCHAKEL_BENCH_DATABASE_URL (a PostgreSQL the benchmark may create a database on)');
  process.exit(2);
}
const entries = Number(process.argv[2] ?? 200_000);
const inFlight = Number(process.argv[3] ?? 4_000);
const maxBatch = Number(process.argv[4] ?? 1_000);
// Unset: verifyLog's default for a log this size.
const verifyWorkers = process.argv[5] === undefined ? undefined : Number(process.argv[5]);

const name = `schakel_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const store = await openStore({ kind: 'postgres', url: url.toString(), poolSize: 4 });

// Random-looking values drawn from a pool, so generating records does not dominate the measurement.
const pool = Array.from({ length: 1024 }, () => randomBytes(32));
const hex = (i: number, salt: number) => pool[(i * 31 + salt) % pool.length]!.toString('hex');
const record = (i: number): AuditRecord => ({
  type: 'disclosure',
  actor: { partnerId: 'demo-politie', partnerKind: 'politie', user: `u-${i % 50}`, role: 'analist' },
  traceId: hex(i, 1).slice(0, 32),
  transactionId: `tx-${i}`,
  processingActivity: 'dreigingsmanagement.informatieverzoek',
  subjectPseudonym: `p1.${pool[(i * 7) % pool.length]!.toString('base64url')}`,
  holder: 'demo-ggz',
  category: 'ggz.bekend',
  purpose: 'risicotaxatie',
  outcome: 'disclosed',
  legalBasis: { ground: 'bg_toestemming', gdpr: 'avg_6_1_e' },
  reasonCodes: ['CONSENT_VALID'],
  policyRevision: 'rev-1',
  policyInputHash: hex(i, 2),
  withheldFields: ['sinds'],
  payloadHash: hex(i, 3),
});

try {
  await migrate(store.db);
  const keyring = await loadKeyring(await generateKeyringFile());
  let batches = 0;
  const log = createAuditLog({ db: store.db, keyring, maxBatch, onCommit: () => (batches += 1) });
  let next = 0;
  const started = performance.now();
  // Keep IN_FLIGHT appends outstanding, as that many concurrent requests would.
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < entries) {
        await log.append(record(next++));
      }
    }),
  );
  const appendSeconds = (performance.now() - started) / 1000;
  await log.close();

  const verifyStarted = performance.now();
  const result = await verifyLog({
    db: store.db,
    jwks: keyring.jwks,
    pageSize: 20_000,
    postgresUrl: url.toString(),
    ...(verifyWorkers === undefined ? {} : { workers: verifyWorkers }),
  });
  const verifySeconds = (performance.now() - verifyStarted) / 1000;
  if (!result.ok) throw new Error(`verify failed: ${result.problem}`);

  console.log(
    `entries:            ${entries} (in flight ${inFlight}, max batch ${maxBatch}, ${batches} batches = signed checkpoints)`,
  );
  console.log(
    `appends:            ${Math.round(entries / appendSeconds).toLocaleString('en')} entries/s  (${appendSeconds.toFixed(2)} s, target >= 20,000/s)`,
  );
  console.log(
    `verification:       ${Math.round(entries / verifySeconds).toLocaleString('en')} entries/s  (${verifySeconds.toFixed(2)} s incl. ${result.checkpoints} signature checks, workers ${verifyWorkers ?? 'default'}, target >= 200,000/s)`,
  );
  // The machine may be shared: a figure means little without the load it was measured under.
  console.log(
    `load average:       ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')} (1, 5, 15 min)`,
  );
} finally {
  await store.close();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
