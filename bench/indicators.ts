// Benchmark (figures, not assertions): all 25 indicators for 24 months on a generated history on PostgreSQL.
// Usage: SCHAKEL_BENCH_DATABASE_URL=postgresql://... node bench/indicators.ts [CASES=2000] [MONTHS=24] [RUNS=3] [CONNECTIONS=1,2]
//   SCHAKEL_BENCH_INDICATORS_DB=name reuses (or creates and keeps) that database instead of a throwaway one.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { computeIndicators, loadCatalogue, type IndicatorQuery } from '../broker/indicators/index.ts';
import { migrate, openStore } from '../broker/store/database.ts';
import { benchmarkDatabase } from './given-server.ts';

const cases = Number(process.argv[2] ?? 2_000);
const months = Number(process.argv[3] ?? 24);
const runs = Number(process.argv[4] ?? 3);
// Connections an extraction computes on at once (each materialises the views; one shared snapshot).
const connectionCounts = (process.argv[5] ?? '1,2').split(',').map(Number);
const kept = process.env.SCHAKEL_BENCH_INDICATORS_DB;
const database = await benchmarkDatabase(kept === undefined ? {} : { keep: kept });
const store = await openStore({ kind: 'postgres', url: database.url, poolSize: 4 });
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'schakel-bench-indicators-'));

const count = async (table: 'cases' | 'audit_entries' | 'request_items' | 'case_events') =>
  Number(
    (
      await store.db
        .selectFrom(table)
        .select(sql<string>`count(*)`.as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

try {
  await migrate(store.db);
  if ((await count('cases')) === 0) {
    // The history comes from the real command, through the real services (broker/demo/README.md).
    console.log(`generating ${cases} cases over ${months} months with schakel demo generate ...`);
    const started = performance.now();
    const run = spawnSync(
      process.execPath,
      [
        path.join(import.meta.dirname, '../bin/schakel.js'),
        'demo',
        'generate',
        '--cases',
        String(cases),
        '--months',
        String(months),
      ],
      {
        stdio: 'inherit',
        env: {
          // The broker refuses unknown SCHAKEL_* settings (the benchmark's own among them).
          ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('SCHAKEL_'))),
          SCHAKEL_DATABASE_URL: database.url,
          SCHAKEL_DEMO: 'true',
          SCHAKEL_DATA_DIR: dataDir,
          SCHAKEL_LOG_LEVEL: 'warn',
        },
      },
    );
    if (run.status !== 0) throw new Error(`schakel demo generate failed (exit ${run.status})`);
    console.log(`generation took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } else {
    console.log(`reusing the history in database ${database.name}`);
  }
  await sql`analyze`.execute(store.db);
  console.log(
    `history: ${await count('cases')} cases, ${await count('audit_entries')} log entries, ` +
      `${await count('request_items')} request items, ${await count('case_events')} case events`,
  );

  // The 24 whole months before the current one, by month: 25 indicators x 24 periods.
  const now = new Date();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  const query: IndicatorQuery = {
    from: first.toISOString().slice(0, 10),
    to: last.toISOString().slice(0, 10),
    period: 'month',
  };
  const catalogue = loadCatalogue();
  let cells = 0;
  for (const connections of connectionCounts) {
    const timings: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const started = performance.now();
      const report = await computeIndicators({ db: store.db, catalogue, k: 5, connections }, query);
      const ms = performance.now() - started;
      cells = report.indicators.reduce((sum, ind) => sum + ind.cells.length, 0);
      // The first run warms caches and is not counted.
      if (i > 0) timings.push(ms);
    }
    timings.sort((a, b) => a - b);
    console.log(
      `all 25 indicators, ${query.from} to ${query.to} by month (${cells} cells), ` +
        `${connections} connection${connections === 1 ? '' : 's'}: ` +
        `median ${(timings[Math.floor(timings.length / 2)]! / 1000).toFixed(2)} s, ` +
        `best ${(timings[0]! / 1000).toFixed(2)} s over ${runs} runs (target under 5 s)`,
    );
  }

  // Where the time goes: the views alone (every extraction materialises them), then each indicator alone.
  const viewsStarted = performance.now();
  await computeIndicators({ db: store.db, catalogue: { ...catalogue, indicators: [] }, k: 5 }, query);
  const viewsMs = performance.now() - viewsStarted;
  const each: [string, number][] = [];
  for (const indicator of catalogue.indicators) {
    const started = performance.now();
    await computeIndicators(
      { db: store.db, catalogue: { ...catalogue, indicators: [indicator] }, k: 5 },
      query,
    );
    each.push([indicator.id, performance.now() - started - viewsMs]);
  }
  each.sort((a, b) => b[1] - a[1]);
  console.log(
    `views alone ${viewsMs.toFixed(0)} ms; slowest alone beyond that: ${each
      .slice(0, 6)
      .map(([id, ms]) => `${id} ${ms.toFixed(0)} ms`)
      .join(', ')}`,
  );
} finally {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
  await database.close();
}
