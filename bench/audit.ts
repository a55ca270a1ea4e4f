// Benchmark (figures, not assertions): sustained appends/s with chain and group commit on PostgreSQL, and verification speed.
// Usage: SCHAKEL_BENCH_DATABASE_URL=postgresql://... node bench/audit.ts [ENTRIES] [IN_FLIGHT] [MAX_BATCH] [VERIFY_WORKERS]
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createAuditLog } from '../broker/audit/appender.ts';
import type { AuditRecord } from '../broker/audit/contract.ts';
import { generateKeyringFile, loadKeyring } from '../broker/audit/keyring.ts';
import { migrate, openStore } from '../broker/store/database.ts';
import { benchmarkDatabase } from './given-server.ts';

const entries = Number(process.argv[2] ?? 200_000);
const inFlight = Number(process.argv[3] ?? 4_000);
const maxBatch = Number(process.argv[4] ?? 1_000);
// Unset: verifyLog's default for a log this size.
const verifyWorkers = process.argv[5] === undefined ? undefined : Number(process.argv[5]);

const database = await benchmarkDatabase();
const store = await openStore({ kind: 'postgres', url: database.url, poolSize: 4 });

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

  // Each verification runs in a process of its own, cold as `schakel audit verify` is (a second
  // one in this process would find its code compiled by the first).
  const jwksFile = path.join(mkdtempSync(path.join(tmpdir(), 'schakel-bench-')), 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify(keyring.jwks));
  const verify = (): { seconds: number; checkpoints: number } => {
    const child = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        path.join(import.meta.dirname, 'audit-verify-once.ts'),
        database.url,
        jwksFile,
        ...(verifyWorkers === undefined ? [] : [String(verifyWorkers)]),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    if (child.status !== 0) throw new Error(`verification failed (exit ${child.status})`);
    return JSON.parse(child.stdout) as { seconds: number; checkpoints: number };
  };
  // Right after the burst of inserts PostgreSQL still sets each row's hint bits on first read and
  // autovacuum soon starts on the table beside the verifier: a log verified later has neither.
  // Both are measured: first as written, then settled (VACUUM ANALYZE, as autovacuum leaves it).
  let fresh: { seconds: number; checkpoints: number };
  let settled: { seconds: number; checkpoints: number };
  try {
    fresh = verify();
    await sql`vacuum (analyze) audit_entries`.execute(store.db);
    settled = verify();
  } finally {
    rmSync(path.dirname(jwksFile), { recursive: true, force: true });
  }
  const perSecond = (seconds: number) => Math.round(entries / seconds).toLocaleString('en');
  console.log(
    `entries:            ${entries} (in flight ${inFlight}, max batch ${maxBatch}, ${batches} batches = signed checkpoints)`,
  );
  console.log(
    `appends:            ${perSecond(appendSeconds)} entries/s  (${appendSeconds.toFixed(2)} s, target >= 20,000/s)`,
  );
  console.log(
    `verification:       ${perSecond(settled.seconds)} entries/s  (${settled.seconds.toFixed(2)} s incl. ${settled.checkpoints} signature checks, workers ${verifyWorkers ?? 'default'}, target >= 200,000/s)`,
  );
  console.log(
    `  right after write: ${perSecond(fresh.seconds)} entries/s  (${fresh.seconds.toFixed(2)} s; hint bits set on first read, autovacuum may run beside it)`,
  );
  // The machine may be shared: a figure means little without the load it was measured under.
  console.log(
    `load average:       ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')} (1, 5, 15 min)`,
  );
} finally {
  await store.close();
  await database.close();
}
