// Verifies a log once in a process of its own, cold as `schakel audit verify` runs, and prints the seconds it took as JSON (bench/audit.ts starts it).
// Usage: node bench/audit-verify-once.ts DATABASE_URL JWKS_FILE [VERIFY_WORKERS]
import { readFileSync } from 'node:fs';
import { verifyLog } from '../broker/audit/verify.ts';
import type { Jwks } from '../broker/audit/keyring.ts';
import { openStore } from '../broker/store/database.ts';

const [url, jwksFile, workersArg] = process.argv.slice(2);
if (url === undefined || jwksFile === undefined) {
  console.error('usage: node bench/audit-verify-once.ts DATABASE_URL JWKS_FILE [VERIFY_WORKERS]');
  process.exit(2);
}
const store = await openStore({ kind: 'postgres', url, poolSize: 2 });
try {
  const jwks = JSON.parse(readFileSync(jwksFile, 'utf8')) as Jwks;
  const started = performance.now();
  const result = await verifyLog({
    db: store.db,
    jwks,
    pageSize: 20_000,
    postgresUrl: url,
    ...(workersArg === undefined ? {} : { workers: Number(workersArg) }),
  });
  const seconds = (performance.now() - started) / 1000;
  if (!result.ok) throw new Error(`verify failed at ${result.seq}: ${result.problem}`);
  console.log(
    JSON.stringify({
      seconds,
      entries: result.lastSeq - result.firstSeq + 1,
      checkpoints: result.checkpoints,
    }),
  );
} finally {
  await store.close();
}
