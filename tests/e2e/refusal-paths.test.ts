// The refusal paths against `schakel serve` over mutual TLS: non-members, the AIVD's rules, and break-glass.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../support/databases.ts';
import { runSchakel, startServe, type ServeHandle } from '../support/processes.ts';
import { partnerClients, type Answer, type PartnerClients } from './partner-client.ts';

const BSN = '111222333';
const UNKNOWN_CASE = '0b6f7c1e-5d0a-4c0e-9a43-1f2b3c4d5e6f';
const MELDING = {
  bron: 'demo-politie',
  eenheid: 'LT',
  regio: 'Midden-Nederland',
  kanaal: 'rik',
  bedreigdeCategorie: 'koninklijk_huis',
  dreigerType: 'verward',
};

interface Item {
  category: string;
  holder: string;
  outcome: string;
  data?: Record<string, unknown>;
  reasons: { code: string; nl: string; en: string }[];
}

const item = (answer: Answer, category: string): Item => {
  const found = (answer.body.items as Item[] | undefined)?.find((i) => i.category === category);
  if (found === undefined) throw new Error(`no item for ${category} in ${answer.raw}`);
  return found;
};

describe('refusal paths end to end', () => {
  const cwd = scratchDir('refusals-e2e');
  let broker: ServeHandle;
  let clients: PartnerClients;

  beforeAll(async () => {
    broker = await startServe({ cwd, env: { SCHAKEL_LOG_PRETTY: 'false' } });
    clients = partnerClients(path.join(cwd, 'var/pki'), broker.port);
  }, 60_000);
  afterAll(async () => {
    await clients?.close();
    await broker?.stop('SIGKILL');
  });

  const regisseur = () => clients.as('demo-politie', 'casusregisseur');
  const request = (who: ReturnType<PartnerClients['as']>, body: Record<string, unknown>) =>
    who.post('/v1/requests', { subject: { bsn: BSN }, ...body });

  /** An included case (phase informatie) with the given extra members. */
  async function includedCase(members: [string, string][]): Promise<string> {
    const opened = await regisseur().post('/v1/cases', { subject: { bsn: BSN }, melding: MELDING });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    for (const [partner, role] of members) {
      expect((await regisseur().post(`/v1/cases/${id}/members`, { partner, role })).status).toBe(201);
    }
    const included = await regisseur().post(`/v1/cases/${id}/events`, {
      type: 'inclusiebesluit',
      data: { besluit: 'in' },
    });
    expect(included.status).toBe(201);
    return id;
  }

  describe('a partner that is not a member', () => {
    it('gets 404 for the case and for requests in it, exactly as for a case that does not exist', async () => {
      const caseId = await includedCase([['demo-ggz', 'behandelaar']]);
      const kmar = clients.as('demo-kmar', 'analist');
      const unknown = await kmar.get(`/v1/cases/${UNKNOWN_CASE}`);
      expect(unknown).toMatchObject({ status: 404, body: { code: 'ERR_CASE_NOT_FOUND' } });
      const seen = await kmar.get(`/v1/cases/${caseId}`);
      expect(seen.status).toBe(404);
      expect(seen.type).toMatch(/^application\/problem\+json/);
      expect({ ...seen.body, instance: undefined, requestId: undefined }).toEqual({
        ...unknown.body,
        instance: undefined,
        requestId: undefined,
      });
      const asked = await request(kmar, {
        caseId,
        purpose: 'risicotaxatie',
        categories: ['politie.wapenvergunning'],
      });
      expect(asked).toMatchObject({ status: 404, body: { code: 'ERR_CASE_NOT_FOUND' } });
      expect(asked.raw).not.toContain('heeftVergunning');
      const event = await kmar.post(`/v1/cases/${caseId}/events`, {
        type: 'incident_gemeld',
        data: { soort: 'dreiging', bedreigdeCategorie: 'koninklijk_huis' },
      });
      expect(event).toMatchObject({ status: 404, body: { code: 'ERR_CASE_NOT_FOUND' } });
      const join = await kmar.post(`/v1/cases/${caseId}/members`, { partner: 'demo-kmar', role: 'analist' });
      expect(join).toMatchObject({ status: 404, body: { code: 'ERR_CASE_NOT_FOUND' } });
    });

    it('denies a member acting in a role other than its membership role', async () => {
      const caseId = await includedCase([['demo-om', 'officier']]);
      const answer = await request(clients.as('demo-om', 'parketsecretaris'), {
        caseId,
        purpose: 'risicotaxatie',
        categories: ['politie.registraties'],
      });
      expect(answer.status).toBe(200);
      expect(item(answer, 'politie.registraties')).toMatchObject({ outcome: 'denied' });
      expect(item(answer, 'politie.registraties').data).toBeUndefined();
    });
  });

  describe('the AIVD rules', () => {
    let withAivd = '';
    let withoutAivd = '';
    beforeAll(async () => {
      withAivd = await includedCase([
        ['demo-ggz', 'behandelaar'],
        ['demo-om', 'officier'],
        ['demo-aivd', 'analist'],
      ]);
      withoutAivd = await includedCase([
        ['demo-ggz', 'behandelaar'],
        ['demo-om', 'officier'],
      ]);
    });

    it("answers aivd.signaal to politie from the AIVD's source, and to nobody else", async () => {
      const politie = await request(regisseur(), {
        caseId: withAivd,
        purpose: 'risicotaxatie',
        categories: ['aivd.signaal'],
      });
      expect(item(politie, 'aivd.signaal')).toMatchObject({
        outcome: 'disclosed',
        holder: 'demo-aivd',
        data: { heeftInformatie: false },
      });
      const om = await request(clients.as('demo-om', 'officier'), {
        caseId: withAivd,
        purpose: 'risicotaxatie',
        categories: ['aivd.signaal'],
      });
      expect(item(om, 'aivd.signaal')).toMatchObject({ outcome: 'denied' });
      expect(item(om, 'aivd.signaal').data).toBeUndefined();
      expect(om.body.receipt).toBeUndefined();
    });

    it('leaves an ambtsbericht to the AIVD analist: pending for the requester, queued only for the AIVD', async () => {
      const om = await request(clients.as('demo-om', 'officier'), {
        caseId: withAivd,
        purpose: 'risicotaxatie',
        categories: ['aivd.ambtsbericht'],
      });
      expect(item(om, 'aivd.ambtsbericht')).toMatchObject({ outcome: 'pending_review' });
      const aivdQueue = await clients.as('demo-aivd', 'analist').get('/v1/reviews');
      expect(aivdQueue.raw).toContain(om.body.id as string);
      const ggzQueue = await clients.as('demo-ggz', 'behandelaar').get('/v1/reviews');
      expect(ggzQueue.status).toBe(200);
      expect(ggzQueue.raw).not.toContain(om.body.id as string);
      expect(ggzQueue.raw).not.toContain('aivd');
    });

    it('never lets a GGZ requester learn that the AIVD is involved', async () => {
      // The member list and events of the case leave the AIVD out for the GGZ (and for the OM), not for the lead.
      const ggzView = await clients.as('demo-ggz', 'behandelaar').get(`/v1/cases/${withAivd}`);
      expect(ggzView.status).toBe(200);
      expect(ggzView.raw).not.toContain('demo-aivd');
      expect(ggzView.raw).not.toContain('"aivd"');
      expect((await clients.as('demo-om', 'officier').get(`/v1/cases/${withAivd}`)).raw).not.toContain(
        'demo-aivd',
      );
      expect((await regisseur().get(`/v1/cases/${withAivd}`)).raw).toContain('demo-aivd');
      expect((await clients.as('demo-aivd', 'analist').get(`/v1/cases/${withAivd}`)).raw).toContain(
        'demo-aivd',
      );

      // The AIVD asks the police for its registrations in the same case: confidential processing.
      const aivdAsks = await request(clients.as('demo-aivd', 'analist'), {
        caseId: withAivd,
        purpose: 'risicotaxatie',
        categories: ['politie.registraties'],
      });
      expect(item(aivdAsks, 'politie.registraties').outcome).toBe('disclosed');

      // A GGZ request for the AIVD's category is denied in words that are the same with or without the AIVD in the case.
      const ask = (caseId: string) =>
        request(clients.as('demo-ggz', 'behandelaar'), {
          caseId,
          purpose: 'risicotaxatie',
          categories: ['aivd.signaal', 'aivd.ambtsbericht'],
        });
      const involved = await ask(withAivd);
      const uninvolved = await ask(withoutAivd);
      expect(involved.status).toBe(200);
      for (const category of ['aivd.signaal', 'aivd.ambtsbericht']) {
        expect(item(involved, category).outcome).toBe('denied');
        expect(item(involved, category).data).toBeUndefined();
        expect(item(involved, category)).toEqual(item(uninvolved, category));
      }

      // The GGZ's view of the log: none of the AIVD's entries and no entry naming it, beyond its own
      // requests for the AIVD's categories; and every event it sees in the case has its entry there.
      const entries = await clients.as('demo-ggz', 'behandelaar').get('/v1/audit/entries?limit=1000');
      expect(entries.status).toBe(200);
      const docs = (entries.body.entries as { entry: Record<string, unknown> }[]).map((e) => e.entry);
      const notOwn = docs.filter((d) => (d.actor as { partnerId: string }).partnerId !== 'demo-ggz');
      expect(notOwn.length).toBeGreaterThan(0);
      expect(JSON.stringify(notOwn)).not.toContain('demo-aivd');
      expect(JSON.stringify(docs)).not.toContain(aivdAsks.body.id as string);
      // (The report itself is logged with the opening of the case, not as an event of its own.)
      const eventIds = (ggzView.body.events as { id: string; type: string }[])
        .filter((e) => e.type !== 'melding_ontvangen')
        .map((e) => e.id);
      expect(eventIds.length).toBeGreaterThan(0);
      const logged = docs.map((d) => (d.details as { eventId?: string } | undefined)?.eventId);
      expect(eventIds.filter((e) => !logged.includes(e))).toEqual([]);
    });
  });

  describe('break-glass (acuut_gevaar)', () => {
    const glass = (who: ReturnType<PartnerClients['as']>, body: Record<string, unknown>) =>
      request(who, { purpose: 'acuut_gevaar', ...body });
    const urgent = [
      'politie.wapenvergunning',
      'politie.dreigingsmeldingen',
      'politie.registraties',
      'dkdb.beveiligingsmaatregelen',
      'ggz.bekend',
    ];

    it('opens an emergency case for an OM officier with a justification and gives only minimal fields', async () => {
      const answer = await glass(clients.as('demo-om', 'officier'), {
        categories: urgent,
        justification: 'dreigt vandaag met een wapen bij een bijeenkomst',
      });
      expect(answer.status).toBe(200);
      expect(item(answer, 'politie.wapenvergunning')).toMatchObject({
        outcome: 'disclosed',
        data: { heeftVergunning: false },
      });
      const meldingen = item(answer, 'politie.dreigingsmeldingen');
      expect(meldingen.outcome).toBe('disclosed');
      expect(meldingen.data).toEqual({
        meldingen: [{ datum: '2026-09-30', bedreigdeCategorie: 'minister_president' }],
      });
      // Not among the break-glass categories, or protective security: denied.
      expect(item(answer, 'politie.registraties').outcome).toBe('denied');
      expect(item(answer, 'dkdb.beveiligingsmaatregelen').outcome).toBe('denied');
      expect(answer.raw).not.toContain('Fictief');
      expect(answer.raw).not.toContain('extra surveillance');
      // Medical categories go to an urgent review by the holder.
      expect(item(answer, 'ggz.bekend')).toMatchObject({ outcome: 'pending_review' });
      expect(item(answer, 'ggz.bekend').data).toBeUndefined();
      expect(answer.body.receipt).toEqual(expect.any(String));

      const emergency = await clients
        .as('demo-om', 'officier')
        .get(`/v1/cases/${answer.body.caseId as string}`);
      expect(emergency.body).toMatchObject({
        emergency: true,
        lead: 'demo-om',
        phase: 'melding',
        status: 'open',
      });
      const takeover = Date.parse(emergency.body.takeoverDueAt as string) - Date.now();
      expect(takeover).toBeGreaterThan(71 * 3_600_000);
      expect(takeover).toBeLessThanOrEqual(72 * 3_600_000);

      const queue = (await clients.as('demo-ggz', 'behandelaar').get('/v1/reviews')).body as unknown as {
        requestId: string;
        dueAt: string;
      }[];
      const review = queue.find((r) => r.requestId === answer.body.id);
      expect(review).toBeDefined();
      expect(Date.parse(review!.dueAt) - Date.now()).toBeLessThan(24 * 3_600_000);

      // The privacy officer sees the use to review.
      const listed = await clients.person('po-om').get('/v1/breakglass');
      expect(listed.raw).toContain(answer.body.id as string);
    });

    it('refuses break-glass without a justification, naming the field', async () => {
      for (const justification of [undefined, '   ']) {
        const answer = await glass(clients.as('demo-politie', 'teamleider'), {
          categories: ['politie.wapenvergunning'],
          ...(justification === undefined ? {} : { justification }),
        });
        expect(answer).toMatchObject({ status: 422, body: { code: 'ERR_VALIDATION' } });
        expect(answer.type).toMatch(/^application\/problem\+json/);
        expect(answer.raw).toContain('justification');
        expect(answer.raw).not.toContain('heeftVergunning');
      }
    });

    it('refuses break-glass to roles that may not use it', async () => {
      for (const [partner, role] of [
        ['demo-politie', 'analist'],
        ['demo-politie', 'casusregisseur'],
        ['demo-om', 'parketsecretaris'],
        ['demo-ggz', 'behandelaar'],
        ['demo-kmar', 'analist'],
      ]) {
        const answer = await glass(clients.as(partner!, role!), {
          categories: ['politie.wapenvergunning'],
          justification: 'acuut',
        });
        expect({ partner, role, status: answer.status, code: answer.body.code }).toEqual({
          partner,
          role,
          status: 403,
          code: 'ERR_FORBIDDEN',
        });
      }
    });

    it('lets a politie teamleider use break-glass in a case it is not a member of', async () => {
      const caseId = await includedCase([['demo-ggz', 'behandelaar']]);
      const answer = await glass(clients.as('demo-politie', 'teamleider'), {
        caseId,
        categories: ['politie.wapenvergunning', 'om.strafzaken'],
        justification: 'aangekondigde aanslag',
      });
      expect(answer.status).toBe(200);
      expect(answer.body.caseId).toBe(caseId);
      expect(item(answer, 'politie.wapenvergunning').outcome).toBe('disclosed');
      expect(item(answer, 'om.strafzaken')).toMatchObject({
        outcome: 'disclosed',
        data: { lopend: [{ feit: 'bedreiging' }] },
      });
    });
  });

  it('leaves a log that verifies and holds no BSN', async () => {
    expect(await broker.stop('SIGTERM')).toBe(0);
    const verify = await runSchakel(['audit', 'verify'], { cwd });
    expect(verify.code).toBe(0);
    expect(broker.output()).not.toContain(BSN);
  }, 60_000);
});
