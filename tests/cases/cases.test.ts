// Cases and consents through the API: who may open, see, add members, record events; phases; AIVD visibility.
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../broker/cases/caller.ts';
import { createCaseService } from '../../broker/cases/case-service.ts';
import { caseRoutes } from '../../broker/cases/routes.ts';
import { loadCatalogue } from '../../broker/catalogue.ts';
import { createConsentService } from '../../broker/consents/consent-service.ts';
import { consentRoutes } from '../../broker/consents/routes.ts';
import type { AppEnv } from '../../broker/http/env.ts';
import type { Store } from '../../broker/store/database.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';
import { insertTestPartners } from '../support/demo-partners.ts';
import { createRecordingAppender } from '../support/recording-audit.ts';
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

describe.each(BACKENDS)('cases and consents on %s', (backend) => {
  let store: Store;
  let app: Hono<AppEnv>;
  const audit = createRecordingAppender();

  beforeAll(async () => {
    store = await openTestStore(backend);
    await insertTestPartners(store.db);
    const catalogue = loadCatalogue();
    const pseudonymise = (bsn: string) => `p.${bsn.split('').reverse().join('')}`;
    const cases = createCaseService({ db: store.db, audit, catalogue, pseudonymise });
    const consents = createConsentService({
      db: store.db,
      audit,
      catalogue,
      pseudonymise,
      pseudonymCandidates: (bsn) => [pseudonymise(bsn)],
    });
    const getCaller = callerFromHeader;
    app = createTestApp([caseRoutes({ cases, getCaller }), consentRoutes({ consents, getCaller })]);
  });
  afterAll(async () => {
    await store.close();
  });

  const call = (caller: Caller, method: string, path: string, body?: unknown) =>
    requestAs(app, caller, method, path, body);

  const casusregisseur = as('demo-politie', 'casusregisseur');

  async function openCase(): Promise<string> {
    const res = await call(casusregisseur, 'POST', '/v1/cases', { subject: { bsn: BSN }, melding: MELDING });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  it('opens a case from a melding: phase melding, the opener is lead and member, melding_ontvangen recorded', async () => {
    const res = await call(casusregisseur, 'POST', '/v1/cases', { subject: { bsn: BSN }, melding: MELDING });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'open', phase: 'melding', lead: 'demo-politie' });
    expect(body.members).toEqual([{ partner: 'demo-politie', kind: 'politie', role: 'casusregisseur' }]);
    expect((body.events as { type: string }[]).map((e) => e.type)).toEqual(['melding_ontvangen']);
    expect(JSON.stringify(body)).not.toContain(BSN);
    const entry = audit.records.find((r) => r.type === 'case.opened' && r.details?.caseId === body.id);
    expect(entry?.subjectPseudonym).toBe('p.333222111');
    expect(JSON.stringify(audit.records)).not.toContain(BSN);
  });

  it('refuses a BSN that fails the elfproef with 422 naming subject.bsn', async () => {
    const res = await call(casusregisseur, 'POST', '/v1/cases', {
      subject: { bsn: '123456789' },
      melding: MELDING,
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field)).toEqual(['subject.bsn']);
  });

  it('refuses unknown melding codes and unknown fields with 422', async () => {
    const res = await call(casusregisseur, 'POST', '/v1/cases', {
      subject: { bsn: BSN },
      melding: { ...MELDING, kanaal: 'twitter', extra: 1 },
    });
    expect(res.status).toBe(422);
    const fields = ((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort();
    expect(fields).toEqual(['melding.extra', 'melding.kanaal']);
  });

  it('refuses a BSN in a logged case field with 422 naming the field, and logs nothing', async () => {
    const logged = audit.records.length;
    const opened = await call(casusregisseur, 'POST', '/v1/cases', {
      subject: { bsn: BSN },
      melding: { ...MELDING, bron: BSN },
    });
    expect(opened.status).toBe(422);
    expect(((await opened.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      'melding.bron',
    ]);
    const id = await openCase();
    const contact = await call(casusregisseur, 'POST', `/v1/cases/${id}/events`, {
      type: 'monitoringscontact',
      data: { door: 'demo-politie', uitkomst: `gesproken met ${BSN}` },
    });
    expect(contact.status).toBe(422);
    expect(((await contact.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(
      'data.uitkomst',
    );
    // Only the case opened in between was logged.
    expect(audit.records.slice(logged).map((r) => r.type)).toEqual(['case.opened']);
  });

  it('lets only a politie casusregisseur or teamleider open a case', async () => {
    const res = await call(as('demo-politie', 'analist'), 'POST', '/v1/cases', {
      subject: { bsn: BSN },
      melding: MELDING,
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('ERR_FORBIDDEN');
    const ggz = await call(as('demo-ggz', 'behandelaar'), 'POST', '/v1/cases', {
      subject: { bsn: BSN },
      melding: MELDING,
    });
    expect(ggz.status).toBe(403);
  });

  it('shows a case only to its members: 404 for anyone else, never 403', async () => {
    const id = await openCase();
    const res = await call(as('demo-om', 'officier'), 'GET', `/v1/cases/${id}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('ERR_CASE_NOT_FOUND');
    expect((await call(casusregisseur, 'GET', '/v1/cases/00000000-0000-4000-8000-000000000000')).status).toBe(
      404,
    );
    expect((await call(casusregisseur, 'GET', '/v1/cases/not-a-uuid')).status).toBe(404);
  });

  it("adds members in a role of their kind; only the lead's casusregisseur may", async () => {
    const id = await openCase();
    const added = await call(casusregisseur, 'POST', `/v1/cases/${id}/members`, {
      partner: 'demo-ggz',
      role: 'behandelaar',
    });
    expect(added.status).toBe(201);
    const wrongRole = await call(casusregisseur, 'POST', `/v1/cases/${id}/members`, {
      partner: 'demo-om',
      role: 'behandelaar',
    });
    expect(wrongRole.status).toBe(422);
    const byMember = await call(as('demo-ggz', 'behandelaar'), 'POST', `/v1/cases/${id}/members`, {
      partner: 'demo-om',
      role: 'officier',
    });
    expect(byMember.status).toBe(403);
    const again = await call(casusregisseur, 'POST', `/v1/cases/${id}/members`, {
      partner: 'demo-ggz',
      role: 'behandelaar',
    });
    expect(again.status).toBe(409);
  });

  it('adds no member when the log cannot be written, and adds it once the log is back', async () => {
    const id = await openCase();
    const member = { partner: 'demo-om', role: 'officier' };
    audit.failing = true;
    try {
      const res = await call(casusregisseur, 'POST', `/v1/cases/${id}/members`, member);
      expect(res.status).toBe(503);
    } finally {
      audit.failing = false;
    }
    const view = (await (await call(casusregisseur, 'GET', `/v1/cases/${id}`)).json()) as {
      members: { partner: string }[];
    };
    expect(view.members.map((m) => m.partner)).toEqual(['demo-politie']);
    expect((await call(casusregisseur, 'POST', `/v1/cases/${id}/members`, member)).status).toBe(201);
  });

  it('shows AIVD membership only to the case lead and the AIVD', async () => {
    const id = await openCase();
    await call(casusregisseur, 'POST', `/v1/cases/${id}/members`, {
      partner: 'demo-ggz',
      role: 'behandelaar',
    });
    await call(casusregisseur, 'POST', `/v1/cases/${id}/members`, { partner: 'demo-aivd', role: 'analist' });
    const members = async (caller: Caller) =>
      (
        (await (await call(caller, 'GET', `/v1/cases/${id}`)).json()) as { members: { partner: string }[] }
      ).members.map((m) => m.partner);
    expect(await members(casusregisseur)).toContain('demo-aivd');
    expect(await members(as('demo-aivd', 'analist'))).toContain('demo-aivd');
    expect(await members(as('demo-ggz', 'behandelaar'))).not.toContain('demo-aivd');
    expect(
      audit.records.filter((r) => r.details?.caseId === id && r.type === 'case.member_added').at(-1)
        ?.confidential,
    ).toBe(true);
    // Later entries that do not touch the AIVD stay readable to the members and do not name it: a gap
    // in the GGZ's view of the log would give the AIVD away as surely as a name.
    await call(casusregisseur, 'POST', `/v1/cases/${id}/events`, {
      type: 'inclusiebesluit',
      data: { besluit: 'in' },
    });
    const inclusion = audit.records.find(
      (r) => r.details?.caseId === id && r.type === 'case.event_recorded',
    )!;
    expect(inclusion.confidential).toBe(false);
    expect(inclusion.parties).toContain('demo-ggz');
    expect(inclusion.parties).not.toContain('demo-aivd');
  });

  it('moves the phase with events: inclusion → informatie, plan → aanpak, accepted → monitoring, closure', async () => {
    const id = await openCase();
    await call(casusregisseur, 'POST', `/v1/cases/${id}/members`, {
      partner: 'demo-veiligheidshuis',
      role: 'procesregisseur',
    });
    const phaseAfter = async (caller: Caller, type: string, data: unknown) => {
      const res = await call(caller, 'POST', `/v1/cases/${id}/events`, { type, data });
      expect(res.status).toBe(201);
      return ((await res.json()) as { phase: string }).phase;
    };
    expect(await phaseAfter(casusregisseur, 'inclusiebesluit', { besluit: 'in' })).toBe('informatie');
    expect(
      await phaseAfter(casusregisseur, 'aanpak_gepland', {
        leadPartner: 'demo-veiligheidshuis',
        interventies: ['bemoeizorg'],
      }),
    ).toBe('aanpak');
    expect(
      await phaseAfter(as('demo-veiligheidshuis', 'procesregisseur'), 'aanpak_geaccepteerd', {
        partner: 'demo-veiligheidshuis',
      }),
    ).toBe('monitoring');
    expect(await phaseAfter(casusregisseur, 'zaak_gesloten', { redenCode: 'dreiging_hanteerbaar' })).toBe(
      'gesloten',
    );
    const view = (await (await call(casusregisseur, 'GET', `/v1/cases/${id}`)).json()) as { status: string };
    expect(view.status).toBe('closed');
    const late = await call(casusregisseur, 'POST', `/v1/cases/${id}/events`, {
      type: 'monitoringscontact',
      data: { door: 'demo-politie', uitkomst: 'stabiel' },
    });
    expect(late.status).toBe(409);
  });

  it('requires a reason code for an exclusion and validates every event against its schema', async () => {
    const id = await openCase();
    const missing = await call(casusregisseur, 'POST', `/v1/cases/${id}/events`, {
      type: 'inclusiebesluit',
      data: { besluit: 'uit' },
    });
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(
      'data.redenCode',
    );
    const unknownType = await call(casusregisseur, 'POST', `/v1/cases/${id}/events`, {
      type: 'koffie_gedronken',
      data: {},
    });
    expect(unknownType.status).toBe(422);
    const excluded = await call(casusregisseur, 'POST', `/v1/cases/${id}/events`, {
      type: 'inclusiebesluit',
      data: { besluit: 'uit', redenCode: 'geen_fixatie' },
    });
    expect(((await excluded.json()) as { phase: string }).phase).toBe('gesloten');
  });

  it('lets only the lead decide inclusion and only a GGZ member record care status, which only GGZ members read', async () => {
    const id = await openCase();
    await call(casusregisseur, 'POST', `/v1/cases/${id}/members`, {
      partner: 'demo-ggz',
      role: 'behandelaar',
    });
    const ggz = as('demo-ggz', 'behandelaar');
    expect(
      (
        await call(ggz, 'POST', `/v1/cases/${id}/events`, {
          type: 'inclusiebesluit',
          data: { besluit: 'in' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call(casusregisseur, 'POST', `/v1/cases/${id}/events`, {
          type: 'zorgstatus_gewijzigd',
          data: { van: 'niet_in_zorg', naar: 'in_zorg' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call(ggz, 'POST', `/v1/cases/${id}/events`, {
          type: 'zorgstatus_gewijzigd',
          data: { van: 'niet_in_zorg', naar: 'in_zorg' },
        })
      ).status,
    ).toBe(201);
    const types = async (caller: Caller) =>
      (
        (await (await call(caller, 'GET', `/v1/cases/${id}`)).json()) as { events: { type: string }[] }
      ).events.map((e) => e.type);
    expect(await types(ggz)).toContain('zorgstatus_gewijzigd');
    expect(await types(casusregisseur)).not.toContain('zorgstatus_gewijzigd');
    const logged = audit.records.find((r) => r.details?.eventType === 'zorgstatus_gewijzigd');
    expect(logged?.details).not.toHaveProperty('data');
  });

  describe('consents', () => {
    const behandelaar = as('demo-ggz', 'behandelaar');
    const consent = {
      subject: { bsn: BSN },
      grantedBy: 'betrokkene',
      evidence: 'getekend formulier 2026-11-01',
      recipients: ['politie'],
      purposes: ['risicotaxatie'],
      categories: ['ggz.bekend', 'ggz.behandelaar'],
      validFrom: '2026-11-01T00:00:00Z',
      validUntil: '2027-05-01T00:00:00Z',
    };

    it('lets the GGZ holder record a consent and lists it as active', async () => {
      const res = await call(behandelaar, 'POST', '/v1/consents', consent);
      expect(res.status).toBe(201);
      const body = (await res.json()) as { id: string };
      expect(JSON.stringify(body)).not.toContain(BSN);
    });

    it('refuses a consent recorded by anyone but the holder of the categories', async () => {
      expect((await call(casusregisseur, 'POST', '/v1/consents', consent)).status).toBe(403);
      expect(
        (
          await call(as('demo-om', 'officier'), 'POST', '/v1/consents', {
            ...consent,
            categories: ['ggz.bekend'],
          })
        ).status,
      ).toBe(403);
    });

    it('refuses a period that ends before it starts and an unknown category', async () => {
      const backwards = await call(behandelaar, 'POST', '/v1/consents', {
        ...consent,
        validUntil: '2026-01-01T00:00:00Z',
      });
      expect(backwards.status).toBe(422);
      const unknown = await call(behandelaar, 'POST', '/v1/consents', {
        ...consent,
        categories: ['ggz.dromen'],
      });
      expect(unknown.status).toBe(422);
    });

    it('withdraws at once; another partner cannot tell the consent exists', async () => {
      const id = ((await (await call(behandelaar, 'POST', '/v1/consents', consent)).json()) as { id: string })
        .id;
      const other = await call(as('demo-politie', 'casusregisseur'), 'DELETE', `/v1/consents/${id}`);
      expect(other.status).toBe(404);
      expect((await call(behandelaar, 'DELETE', `/v1/consents/${id}`)).status).toBe(204);
      expect((await call(behandelaar, 'DELETE', `/v1/consents/${id}`)).status).toBe(404);
      expect(audit.records.filter((r) => r.details?.consentId === id).map((r) => r.type)).toEqual([
        'consent.recorded',
        'consent.withdrawn',
      ]);
    });
  });

  it('changes nothing when the log cannot be written', async () => {
    audit.failing = true;
    try {
      const res = await call(casusregisseur, 'POST', '/v1/cases', {
        subject: { bsn: BSN },
        melding: MELDING,
      });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { code: string }).code).toBe('ERR_AUDIT_UNAVAILABLE');
    } finally {
      audit.failing = false;
    }
    const count = await store.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const opened = audit.records.filter((r) => r.type === 'case.opened').length;
    expect(Number(count.n)).toBe(opened);
  });
});
