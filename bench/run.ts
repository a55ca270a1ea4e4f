// `npm run bench`: every benchmark in turn, each printing its own figures (none asserts anything); `npm run bench -- soak` runs the soak only.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startBenchCluster, type BenchCluster } from './e2e/pg-cluster.ts';

const here = import.meta.dirname;
const soak = process.argv[2] === 'soak' || process.env.SCHAKEL_BENCH_SOAK === '1';
if (process.argv[2] !== undefined && process.argv[2] !== 'soak') {
  console.error('usage: npm run bench [-- soak]   (settings: bench/README.md)');
  process.exit(2);
}

const benches = soak
  ? ['soak.ts']
  : [
      'policy.ts', // micro: one policy decision
      'receipts.ts', // micro: receipt signing and verification
      'audit.ts', // micro: log append batches on PostgreSQL, appends/s, log verification
      'row-ids.ts', // WAL per insert into a grown index: random against time-ordered ids
      'indicators.ts', // all 25 indicators for 24 months on a generated history of 2,000 cases
      'e2e.ts', // load: schakel against bare Hono and nginx + OPA
    ];

let cluster: BenchCluster | undefined;
let failed = 0;
try {
  const env = { ...process.env };
  // bench/audit.ts, bench/row-ids.ts and bench/indicators.ts need a server to create a database on: ours unless one is given.
  if (!soak && env.SCHAKEL_BENCH_DATABASE_URL === undefined && env.SCHAKEL_TEST_DATABASE_URL === undefined) {
    cluster = await startBenchCluster();
  }
  for (const bench of benches) {
    if (bench === 'e2e.ts' && cluster !== undefined) {
      // The load comparison starts its own cluster; the one the log and indicator benchmarks used
      // would otherwise go on working beside it (autovacuum of the generated history) and take CPU
      // from whichever target runs then.
      cluster.destroy();
      cluster = undefined;
    }
    console.log(`\n== ${bench}`);
    const run = spawnSync(process.execPath, [path.join(here, bench)], {
      stdio: 'inherit',
      env:
        (bench === 'audit.ts' || bench === 'row-ids.ts' || bench === 'indicators.ts') && cluster !== undefined
          ? { ...env, SCHAKEL_BENCH_DATABASE_URL: cluster.url }
          : env,
    });
    if (run.status !== 0) failed++;
  }
} finally {
  cluster?.destroy();
}
process.exitCode = failed === 0 ? 0 : 2;
