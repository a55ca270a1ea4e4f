// The synthetic-history generator on every backend: real services, a simulated clock, a log that verifies.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKeyringFile } from '../../broker/audit/key-files.ts';
import { publicJwks } from '../../broker/audit/keyring.ts';
import { verifyLog } from '../../broker/audit/verify.ts';
import { loadCatalogue } from '../../broker/catalogue.ts';
import { planCase } from '../../broker/demo/case-plan.ts';
import { generateHistory, type GenerateResult } from '../../broker/demo/generate-history.ts';
import { createRandom, syntheticBsn } from '../../broker/demo/random.ts';
import { isValidBsn } from '../../broker/bsn.ts';
import { computeIndicators, loadCatalogue as loadIndicatorCatalogue } from '../../broker/indicators/index.ts';
import { createPolicyService, loadPolicyEngine } from '../../broker/policy/index.ts';
import type { Store } from '../../broker/store/database.ts';
import { BACKENDS, openTestStore, scratchDir } from '../support/databases.ts';
import { insertTestPartners } from '../support/demo-partners.ts';
import { PROJECT_ROOT, runSchakel } from '../support/processes.ts';

const END = new Date('2025-07-01T00:00:00Z');
const CASES = 24;

async function policyDecide() {
  const policy = createPolicyService();
  policy.activate(
    await loadPolicyEngine(readFileSync(path.join(PROJECT_ROOT, 'policies/bundle/bundle.tgz')), 'committed'),
  );
  return (input: Parameters<typeof policy.decide>[0]) => policy.decide(input);
}

function auditFiles() {
  const dir = scratchDir('demo-generate');
  return {
    signingKeysFile: path.join(dir, 'keys/audit-signing.json'),
    pseudonymKeysFile: path.join(dir, 'keys/pseudonym.json'),
    witnessFile: path.join(dir, 'audit-witness.json'),
    maxBatch: 1000,
  };
}

describe('the history plan', () => {
  const window = { start: Date.parse('2024-01-01T00:00:00Z'), end: Date.parse('2026-01-01T00:00:00Z') };

  it('gives the same plan for the same seed and a different one for another', () => {
    const a = planCase(createRandom(7), 0, window);
    expect(planCase(createRandom(7), 0, window)).toEqual(a);
    expect(planCase(createRandom(8), 0, window)).not.toEqual(a);
  });

  it('keeps every step inside the window, in time order, starting with the report', () => {
    for (let i = 0; i < 200; i++) {
      const steps = planCase(createRandom(i), i, window);
      expect(steps[0]?.op.kind).toBe('open');
      for (const [n, s] of steps.entries()) {
        expect(s.at).toBeGreaterThanOrEqual(window.start);
        expect(s.at).toBeLessThan(window.end);
        if (n > 0) expect(s.at).toBeGreaterThanOrEqual(steps[n - 1]!.at);
      }
      const closure = steps.findIndex(
        (s) =>
          s.op.kind === 'event' &&
          (s.op.type === 'zaak_gesloten' || (s.op.type === 'inclusiebesluit' && s.op.data.besluit === 'uit')),
      );
      if (closure >= 0) expect(closure).toBe(steps.length - 1);
    }
  });

  it('makes fictitious BSNs that pass the elfproef and differ per case', () => {
    const bsns = Array.from({ length: 5000 }, (_, i) => syntheticBsn(i + 10_007));
    expect(bsns.every(isValidBsn)).toBe(true);
    expect(new Set(bsns).size).toBe(bsns.length);
  });
});

describe('the schakel demo generate command', () => {
  it('refuses a database without demo data, with exit 2 and what to do', async () => {
    const run = await runSchakel(['demo', 'generate', '--cases', '1'], {
      cwd: scratchDir('demo-off'),
      env: { SCHAKEL_DEMO: 'false' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('SCHAKEL_DEMO=true');
  }, 60_000);

  it('refuses a number of cases it cannot generate, with exit 2', async () => {
    const run = await runSchakel(['demo', 'generate', '--cases', '0'], { cwd: scratchDir('demo-usage') });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--cases takes a whole number');
  }, 60_000);
});

describe.each(BACKENDS)('schakel demo generate on %s', (backend) => {
  let store: Store;
  let result: GenerateResult;
  const audit = auditFiles();
  const progress: number[] = [];

  beforeAll(async () => {
    store = await openTestStore(backend);
    await insertTestPartners(store.db);
    result = await generateHistory({
      db: store.db,
      catalogue: loadCatalogue(),
      decide: await policyDecide(),
      audit,
      sealKey: randomBytes(32),
      cases: CASES,
      months: 18,
      end: END,
      seed: 3,
      onProgress: (p) => progress.push(p.stepsDone),
    });
  }, 240_000);
  afterAll(async () => store?.close());

  it('opens every case through the case service and logs every step', async () => {
    const cases = await store.db
      .selectFrom('cases')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(cases.n).toBe(CASES);
    const entries = await store.db
      .selectFrom('audit_entries')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    expect(entries.n).toBe(result.logEntries);
    expect(result.logEntries).toBeGreaterThan(CASES * 10);
    expect(progress.at(-1)).toBe(result.steps);
  });

  it('dates everything on the simulated clock, inside the window and never after its end', async () => {
    const span = await sql<{ first: Date; last: Date }>`
      select least((select min(recorded_at) from audit_entries), (select min(created_at) from cases)) as first,
             greatest((select max(recorded_at) from audit_entries), (select max(recorded_at) from case_events),
                      (select max(created_at) from info_requests)) as last`.execute(store.db);
    const { first, last } = span.rows[0]!;
    expect(new Date(first).getTime()).toBeGreaterThanOrEqual(result.from.getTime());
    expect(new Date(last).getTime()).toBeLessThanOrEqual(END.getTime());
  });

  it('leaves a disclosure log whose chain and checkpoints verify', async () => {
    const verdict = await verifyLog({
      db: store.db,
      jwks: publicJwks(readKeyringFile(audit.signingKeysFile)),
    });
    expect(verdict).toMatchObject({ ok: true, firstSeq: 1, lastSeq: result.logEntries });
  });

  it('produces what partners do: releases, refusals, not found, consents, events of every stage', async () => {
    const outcomes = await store.db.selectFrom('request_items').select('outcome').distinct().execute();
    expect(outcomes.map((o) => o.outcome)).toEqual(
      expect.arrayContaining(['disclosed', 'pending_review', 'not_found']),
    );
    const reviews = await store.db.selectFrom('reviews').select('status').distinct().execute();
    expect(reviews.map((r) => r.status)).toEqual(expect.arrayContaining(['released', 'refused']));
    const types = (await store.db.selectFrom('case_events').select('type').distinct().execute()).map(
      (e) => e.type,
    );
    expect(types).toEqual(
      expect.arrayContaining([
        'melding_ontvangen',
        'inclusiebesluit',
        'risicotaxatie_afgerond',
        'aanpak_gepland',
        'aanpak_geaccepteerd',
        'monitoringscontact',
        'terugkoppeling_gegeven',
      ]),
    );
    const consents = await store.db.selectFrom('consents').select('id').execute();
    expect(consents.length).toBeGreaterThan(0);
  });

  it('never writes a BSN into the log or the tables', async () => {
    const bsns = Array.from({ length: CASES }, (_, i) => syntheticBsn(i + 3 * 10_007));
    const dump = await sql<{ text: string }>`
      select (select coalesce(string_agg(body, ''), '') from audit_entries)
          || (select coalesce(string_agg(subject_pseudonym || data::text, ''), '') from cases join case_events on case_events.case_id = cases.id)
          || (select coalesce(string_agg(subject_pseudonym, ''), '') from info_requests) as text`.execute(
      store.db,
    );
    const text = dump.rows[0]!.text;
    for (const bsn of bsns) expect(text).not.toContain(bsn);
  });

  it('gives the indicators something to show', async () => {
    const report = await computeIndicators(
      { db: store.db, catalogue: loadIndicatorCatalogue(), k: 5, now: () => END },
      { from: result.from.toISOString().slice(0, 10), to: '2025-06-30', period: 'year' },
    );
    const total = (id: string) =>
      report.indicators
        .find((i) => i.id === id)!
        .cells.filter((c) => c.breakdown === 'totaal')
        .reduce((sum, c) => sum + (typeof c.value === 'number' ? c.value : 0), 0);
    expect(total('I01')).toBe(CASES);
    expect(total('I06')).toBeGreaterThan(CASES);
  });

  it('refuses to run without the partners it plays', async () => {
    const empty = await openTestStore(backend);
    try {
      await expect(
        generateHistory({
          db: empty.db,
          catalogue: loadCatalogue(),
          decide: () => {
            throw new Error('not reached');
          },
          audit: auditFiles(),
          sealKey: randomBytes(32),
          cases: 1,
          months: 1,
          end: END,
        }),
      ).rejects.toThrow(/partners not registered: demo-politie/);
    } finally {
      await empty.close();
    }
  });
});
