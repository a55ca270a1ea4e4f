// Cases and consents against the real disclosure log: who reads case entries, hostile input refused at the edge, one entry per membership.
import type { Hono } from 'hono';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditQueries } from '../../broker/audit/reader.ts';
import { createReceiptService } from '../../broker/audit/receipts.ts';
import { auditRoutes } from '../../broker/audit/routes.ts';
import type { Caller } from '../../broker/cases/caller.ts';
import { createCaseService } from '../../broker/cases/case-service.ts';
import { caseRoutes } from '../../broker/cases/routes.ts';
import { loadCatalogue } from '../../broker/catalogue.ts';
import { createConsentService } from '../../broker/consents/consent-service.ts';
import { consentRoutes } from '../../broker/consents/routes.ts';
import type { AppEnv } from '../../broker/http/env.ts';
import { openAuditFixture, type AuditFixture } from '../audit/support.ts';
import { BACKENDS } from '../support/databases.ts';
import { insertTestPartners } from '../support/demo-partners.ts';
import { asPartner as as, callerFromHeader, createTestApp, requestAs } from '../support/test-caller.ts';

const BSN = '111222333';
const MELDING = {
  bron: 'demo-politie',
  eenheid: 'Landelijk Team',
  regio: 'Midden-Nederland',
  kanaal: 'rik',
  bedreigdeCategorie: 'minister_president',
  dreigerType: 'gefixeerd',
};
const CONSENT = {
  subject: { bsn: BSN },
  grantedBy: 'betrokkene',
  evidence: 'getekend formulier',
  recipients: ['politie'],
  purposes: ['risicotaxatie'],
  categories: ['ggz.bekend'],
  validFrom: '2026-11-01T00:00:00Z',
  validUntil: '2027-05-01T00:00:00Z',
};

interface Problem {
  code: string;
  errors?: { field: string }[];
}
interface LogPage {
  entries: { seq: number; entry: { type: string; details?: Record<string, unknown> } }[];
}

describe.each(BACKENDS)('cases and consents in the real log on %s', (backend) => {
  let f: AuditFixture;
  let app: Hono<AppEnv>;
  const regisseur = as('demo-politie', 'casusregisseur');
  const behandelaar = as('demo-ggz', 'behandelaar');

  beforeAll(async () => {
    f = await openAuditFixture(backend);
    await insertTestPartners(f.store.db);
    const catalogue = loadCatalogue();
    const pseudonymise = (bsn: string) => `p.${bsn.split('').reverse().join('')}`;
    const audit = f.log;
    const cases = createCaseService({ db: f.store.db, audit, catalogue, pseudonymise });
    const consents = createConsentService({
      db: f.store.db,
      audit,
      catalogue,
      pseudonymise,
      pseudonymCandidates: (bsn) => [pseudonymise(bsn)],
    });
    const getCaller = callerFromHeader;
    app = createTestApp([
      caseRoutes({ cases, getCaller }),
      consentRoutes({ consents, getCaller }),
      auditRoutes({
        queries: createAuditQueries(f.store.db),
        receipts: createReceiptService({ db: f.store.db, keyring: f.keyring }),
        jwks: () => f.keyring.jwks,
        // Each test caller reads the log as its partner's system would.
        getReader: (c) => ({ role: 'partner', partnerId: callerFromHeader(c).partner.id }),
      }),
    ]);
  });
  afterAll(async () => {
    await f?.close();
  });

  const call = (caller: Caller, method: string, path: string, body?: unknown) =>
    requestAs(app, caller, method, path, body);

  async function openCase(): Promise<string> {
    const res = await call(regisseur, 'POST', '/v1/cases', { subject: { bsn: BSN }, melding: MELDING });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  async function logOf(caller: Caller, caseId: string) {
    const res = await call(caller, 'GET', '/v1/audit/entries?limit=1000');
    expect(res.status).toBe(200);
    return ((await res.json()) as LogPage).entries.filter((e) => e.entry.details?.caseId === caseId);
  }

  async function entryCount(): Promise<number> {
    const row = await f.store.db
      .selectFrom('audit_entries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function refused(caller: Caller, method: string, path: string, body: unknown) {
    const logged = await entryCount();
    const res = await call(caller, method, path, body);
    const problem = (await res.json()) as Problem;
    expect(await entryCount(), 'nothing is logged for a refused body').toBe(logged);
    return { status: res.status, code: problem.code, fields: (problem.errors ?? []).map((e) => e.field) };
  }

  it("keeps a care-status change out of the other members' log view: only GGZ members see it", async () => {
    const id = await openCase();
    for (const member of [
      { partner: 'demo-ggz', role: 'behandelaar' },
      { partner: 'demo-om', role: 'officier' },
    ]) {
      expect((await call(regisseur, 'POST', `/v1/cases/${id}/members`, member)).status).toBe(201);
    }
    const recorded = await call(behandelaar, 'POST', `/v1/cases/${id}/events`, {
      type: 'zorgstatus_gewijzigd',
      data: { van: 'niet_in_zorg', naar: 'in_zorg' },
    });
    expect(recorded.status).toBe(201);
    const eventTypes = async (caller: Caller) =>
      (await logOf(caller, id))
        .filter((e) => e.entry.type === 'case.event_recorded')
        .map((e) => e.entry.details?.eventType);
    expect(await eventTypes(behandelaar)).toEqual(['zorgstatus_gewijzigd']);
    expect(await eventTypes(regisseur)).toEqual([]);
    expect(await eventTypes(as('demo-om', 'officier'))).toEqual([]);
    // The politie still reads the rest of the case's entries: only the medical one is left out.
    expect((await logOf(regisseur, id)).map((e) => e.entry.type)).toEqual([
      'case.opened',
      'case.member_added',
      'case.member_added',
    ]);
  });

  it.each(['__proto__', 'toString', 'constructor', 'hasOwnProperty'])(
    'refuses the inherited name %s as an event type with 422 naming type',
    async (type) => {
      const id = await openCase();
      expect(await refused(regisseur, 'POST', `/v1/cases/${id}/events`, { type, data: {} })).toEqual({
        status: 422,
        code: 'ERR_VALIDATION',
        fields: ['type'],
      });
    },
  );

  it.each([
    ['year 0', 'volgendeBeoordeling', '0000-01-01'],
    ['year 10000', 'volgendeBeoordeling', '10000-01-01'],
  ])('refuses an event date in %s with 422 naming the field', async (_, field, value) => {
    const id = await openCase();
    const data = {
      instrument: 'VERA-2R',
      intentie: 'laag',
      potentie: 'laag',
      concreetheid: 'laag',
      zorgniveau: 'laag',
      volgendeBeoordeling: '2027-01-01',
      [field]: value,
    };
    expect(
      await refused(regisseur, 'POST', `/v1/cases/${id}/events`, { type: 'risicotaxatie_afgerond', data }),
    ).toEqual({ status: 422, code: 'ERR_VALIDATION', fields: [`data.${field}`] });
  });

  it.each([
    ['validFrom', '0000-01-01T00:00:00Z'],
    ['validFrom', '0001-01-01T00:00:00+01:00'],
    ['validUntil', '9999-12-31T23:00:00-02:00'],
    ['validFrom', '2026-01-01T00:00:00.111222333+01:00'],
    ['validFrom', '2026-01-01T00:00:00.1234+01:00'],
  ])('refuses a consent whose %s is %s with 422 naming it, and logs nothing', async (field, value) => {
    const body = { ...CONSENT, [field]: value };
    expect(await refused(behandelaar, 'POST', '/v1/consents', body)).toMatchObject({
      status: 422,
      code: 'ERR_VALIDATION',
      fields: expect.arrayContaining([field]) as unknown,
    });
  });

  it.each([
    ['recipients', { recipients: ['111222333'] }],
    ['purposes', { purposes: ['111222333'] }],
    ['categories', { categories: ['111222333'] }],
    ['categories', { categories: ['toString'] }],
    ['purposes', { purposes: ['constructor'] }],
  ])('refuses a consent with a BSN or inherited name in %s with 422 naming it', async (field, change) => {
    const answer = await refused(behandelaar, 'POST', '/v1/consents', { ...CONSENT, ...change });
    expect(answer).toMatchObject({ status: 422, code: 'ERR_VALIDATION' });
    expect(answer.fields.map((f) => f.split('.')[0])).toEqual([field]);
  });

  it('accepts and logs a consent with millisecond times and an offset', async () => {
    const res = await call(behandelaar, 'POST', '/v1/consents', {
      ...CONSENT,
      validFrom: '2026-11-01T00:00:00.123+01:00',
      validUntil: '9999-12-31T23:59:59.999Z',
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      validFrom: '2026-10-31T23:00:00.123Z',
      validUntil: '9999-12-31T23:59:59.999Z',
    });
  });

  it('logs that a consent was not recorded when the database refuses it after the log took it', async () => {
    await sql`create function refuse_test_consent() returns trigger language plpgsql as $$
      begin
        if new.evidence = 'database weigert' then raise exception 'refused for the test'; end if;
        return new;
      end $$`.execute(f.store.db);
    await sql`create trigger refuse_test_consent before insert on consents
      for each row execute function refuse_test_consent()`.execute(f.store.db);
    try {
      const res = await call(behandelaar, 'POST', '/v1/consents', {
        ...CONSENT,
        evidence: 'database weigert',
      });
      expect(res.status).toBe(500);
    } finally {
      await sql`drop trigger refuse_test_consent on consents`.execute(f.store.db);
      await sql`drop function refuse_test_consent()`.execute(f.store.db);
    }
    const page = (await (await call(behandelaar, 'GET', '/v1/audit/entries?limit=1000')).json()) as LogPage;
    const last = page.entries.filter((e) => e.entry.type.startsWith('consent.')).slice(-2);
    expect(last.map((e) => e.entry.type)).toEqual(['consent.recorded', 'consent.recording_failed']);
    const consentId = last[0]!.entry.details?.consentId as string;
    expect(last[1]!.entry.details?.consentId).toBe(consentId);
    const row = await f.store.db
      .selectFrom('consents')
      .select('id')
      .where('id', '=', consentId)
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it.each([
    ['from', '0000-01-01'],
    ['to', '-000001-01-01'],
    ['from', '+275760-09-13'],
    ['from', '-271821-04-20T00:00:00Z'],
    ['to', '0001-01-01T00:00:00+01:00'],
  ])('refuses %s=%s on the log view with 422 naming the parameter', async (name, value) => {
    const res = await call(regisseur, 'GET', `/v1/audit/entries?${name}=${encodeURIComponent(value)}`);
    expect(res.status).toBe(422);
    const problem = (await res.json()) as Problem;
    expect(problem.code).toBe('ERR_VALIDATION');
    expect(problem.errors?.map((e) => e.field)).toEqual([name]);
  });

  it.each([
    ['type', '%00'],
    ['type', 'case.opened%00'],
    ['type', 'x'.repeat(65)],
    ['type', 'Case.Opened'],
  ])('refuses %s=%s on the log view with 422 naming the parameter', async (name, value) => {
    const res = await call(regisseur, 'GET', `/v1/audit/entries?${name}=${value}`);
    expect(res.status).toBe(422);
    const problem = (await res.json()) as Problem;
    expect(problem.errors?.map((e) => e.field)).toEqual([name]);
  });

  it.each([
    ['a NUL', '%00'],
    ['text with a NUL', 'x%00'],
    ['5000 characters long', 'a'.repeat(5000)],
    ['a UUID of no receipt', '00000000-0000-4000-8000-000000000000'],
  ])('answers a receipt id that is %s with 404', async (_, id) => {
    const res = await call(regisseur, 'GET', `/v1/receipts/${id}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as Problem).code).toBe('ERR_NOT_FOUND');
  });

  it('reads the log by entry type', async () => {
    const res = await call(regisseur, 'GET', '/v1/audit/entries?type=case.opened');
    expect(res.status).toBe(200);
    const types = ((await res.json()) as LogPage).entries.map((e) => e.entry.type);
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set(['case.opened']));
  });

  it('reads the log between two dates at the ends of the range', async () => {
    const res = await call(
      regisseur,
      'GET',
      `/v1/audit/entries?from=0001-01-01T00:00:00Z&to=${encodeURIComponent('9999-12-31T23:59:59.999Z')}`,
    );
    expect(res.status).toBe(200);
  });

  it('adds a member asked for twice at once once: one 201, one 409, one log entry', async () => {
    const id = await openCase();
    const member = { partner: 'demo-kmar', role: 'analist' };
    const answers = await Promise.all([
      call(regisseur, 'POST', `/v1/cases/${id}/members`, member),
      call(regisseur, 'POST', `/v1/cases/${id}/members`, member),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    const conflict = answers.find((r) => r.status === 409)!;
    expect(((await conflict.json()) as Problem).code).toBe('ERR_ALREADY_MEMBER');
    const added = (await logOf(regisseur, id)).filter((e) => e.entry.type === 'case.member_added');
    expect(added.map((e) => e.entry.details?.partner)).toEqual(['demo-kmar']);
  });
});
