// `npm run bench`: runs every benchmark in turn; each prints its own figures (none asserts anything).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const here = import.meta.dirname;
const benches: { file: string; args: string[]; needs?: string }[] = [
  { file: 'policy.ts', args: [] },
  { file: 'audit.ts', args: process.argv.slice(2), needs: 'SCHAKEL_BENCH_DATABASE_URL' },
];

let failed = 0;
for (const bench of benches) {
  if (
    bench.needs !== undefined &&
    process.env[bench.needs] === undefined &&
    process.env.SCHAKEL_TEST_DATABASE_URL === undefined
  ) {
    console.log(
      `\n== ${bench.file}: skipped (set ${bench.needs} to a PostgreSQL the benchmark may create a database on)`,
    );
    continue;
  }
  console.log(`\n== ${bench.file}`);
  const run = spawnSync(process.execPath, [path.join(here, bench.file), ...bench.args], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 2;
