// The demo story of DOMAIN.md against `schakel serve` over mutual TLS: a case from report to closure,
// a GGZ review released by the behandelaar, consent given and withdrawn, and a closed case that answers nothing.
import path from 'node:path';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saltedPayloadHash } from '../../broker/audit/payload-hash.ts';
import { scratchDir } from '../support/databases.ts';
import { runSchakel, startServe, type ServeHandle } from '../support/processes.ts';
import { partnerClients, type Answer, type PartnerClients } from './partner-client.ts';

const BSN = '111222333';
const MELDING = {
  bron: 'demo-politie',
  eenheid: 'LT',
  regio: 'Midden-Nederland',
  kanaal: 'rik',
  bedreigdeCategorie: 'minister_president',
  dreigerType: 'gefixeerd',
};

interface Item {
  category: string;
  holder: string;
  outcome: string;
  data?: Record<string, unknown>;
  legalBasis?: string;
  reasons: { code: string }[];
}

const item = (answer: Answer, category: string): Item => {
  const found = (answer.body.items as Item[]).find((i) => i.category === category);
  if (found === undefined) throw new Error(`no item for ${category} in ${answer.raw}`);
  return found;
};

describe('the demo story end to end', () => {
  const cwd = scratchDir('story-e2e');
  let broker: ServeHandle;
  let clients: PartnerClients;
  let jwks: JSONWebKeySet;

  beforeAll(async () => {
    broker = await startServe({ cwd, env: { SCHAKEL_LOG_PRETTY: 'false' } });
    clients = partnerClients(path.join(cwd, 'var/pki'), broker.port);
    jwks = (await clients.as('demo-politie', 'analist').get('/.well-known/jwks.json')).body as never;
  }, 60_000);
  afterAll(async () => {
    await clients?.close();
    await broker?.stop('SIGKILL');
  });

  const regisseur = () => clients.as('demo-politie', 'casusregisseur');
  const behandelaar = () => clients.as('demo-ggz', 'behandelaar');
  const ask = (caseId: string, purpose: string, categories: string[]) =>
    regisseur().post('/v1/requests', { caseId, subject: { bsn: BSN }, purpose, categories });

  /** Verifies a receipt with the published keys and checks it covers exactly what was sent. */
  async function checkReceipt(answer: Answer, disclosed: Item[]): Promise<void> {
    const { payload } = await compactVerify(answer.body.receipt as string, createLocalJWKSet(jwks));
    const receipt = JSON.parse(new TextDecoder().decode(payload)) as {
      requestId: string;
      items: { category: string; holder: string; nonce: string; payloadHash: string; seq: number }[];
    };
    expect(receipt.requestId).toBe(answer.body.id);
    expect(receipt.items.map((i) => i.category).sort()).toEqual(disclosed.map((i) => i.category).sort());
    for (const covered of receipt.items) {
      const sent = disclosed.find((i) => i.category === covered.category)!;
      expect(saltedPayloadHash(sent.data, covered.nonce).hash).toBe(covered.payloadHash);
    }
  }

  let caseId = '';

  it('opens a case from a report; the case lead adds the team; the inclusion decision opens information gathering', async () => {
    const opened = await regisseur().post('/v1/cases', { subject: { bsn: BSN }, melding: MELDING });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ status: 'open', phase: 'melding' });
    caseId = opened.body.id as string;
    for (const [partner, role] of [
      ['demo-ggz', 'behandelaar'],
      ['demo-om', 'officier'],
      ['demo-veiligheidshuis', 'procesregisseur'],
    ]) {
      expect((await regisseur().post(`/v1/cases/${caseId}/members`, { partner, role })).status).toBe(201);
    }
    // In phase melding, a risk assessment is not yet a purpose: denied, nothing fetched.
    const early = await ask(caseId, 'risicotaxatie', ['om.strafzaken']);
    expect(item(early, 'om.strafzaken')).toMatchObject({ outcome: 'denied' });
    expect(item(early, 'om.strafzaken').reasons.map((r) => r.code)).toContain('NTK_PURPOSE_NOT_IN_PHASE');
    expect(item(early, 'om.strafzaken').data).toBeUndefined();
    expect(early.body.receipt).toBeUndefined();

    const included = await regisseur().post(`/v1/cases/${caseId}/events`, {
      type: 'inclusiebesluit',
      data: { besluit: 'in' },
    });
    expect(included.status).toBe(201);
    expect((await behandelaar().get(`/v1/cases/${caseId}`)).body).toMatchObject({ phase: 'informatie' });
  });

  let requestId = '';

  it('discloses the non-medical categories minimised with a receipt, and sends the GGZ category to review', async () => {
    const answer = await ask(caseId, 'risicotaxatie', [
      'politie.registraties',
      'om.strafzaken',
      'om.justitiele_documentatie',
      'ggz.bekend',
    ]);
    expect(answer.status).toBe(200);
    requestId = answer.body.id as string;
    const registraties = item(answer, 'politie.registraties');
    expect(registraties).toMatchObject({ outcome: 'disclosed', legalBasis: expect.any(String) });
    expect(Object.keys(registraties.data!).sort()).toEqual([
      'aantal',
      'laatsteDatum',
      'samenvatting',
      'soorten',
    ]);
    expect(item(answer, 'om.strafzaken')).toMatchObject({ outcome: 'disclosed', legalBasis: 'wjsg_39f' });
    // The GGZ item says only that the holder reviews it: no data, nothing about being in care.
    const bekend = item(answer, 'ggz.bekend');
    expect(bekend).toMatchObject({ outcome: 'pending_review', holder: 'demo-ggz' });
    expect(bekend.data).toBeUndefined();
    expect(JSON.stringify(bekend)).not.toMatch(/inZorg|GGZ Demo|2025-03-14/);
    await checkReceipt(
      answer,
      (answer.body.items as Item[]).filter((i) => i.outcome === 'disclosed'),
    );
  });

  it('lets the behandelaar release on conflict of duties; the requester then receives only the minimal field', async () => {
    const queue = await behandelaar().get('/v1/reviews');
    expect(queue.status).toBe(200);
    const review = (queue.body as unknown as { id: string; requestId: string; category: string }[]).find(
      (r) => r.requestId === requestId,
    );
    expect(review).toMatchObject({ category: 'ggz.bekend', requester: 'demo-politie' });
    // Another partner cannot decide it, and does not learn it exists.
    const foreign = await clients
      .as('demo-om', 'officier')
      .post(`/v1/reviews/${review!.id}/decision`, { decision: 'refuse', redenCode: 'x' });
    expect(foreign.status).toBe(404);
    const released = await behandelaar().post(`/v1/reviews/${review!.id}/decision`, {
      decision: 'release',
      ground: 'conflict_van_plichten',
      considerations: {
        toestemming: 'te_gevaarlijk',
        gewetensnood: true,
        subsidiariteit: true,
        schade: true,
        doelmatigheid: true,
        proportionaliteit: true,
        collegaGeraadpleegd: true,
      },
    });
    expect(released.status).toBe(200);
    const after = await regisseur().get(`/v1/requests/${requestId}`);
    expect(after.status).toBe(200);
    const bekend = item(after, 'ggz.bekend');
    expect(bekend).toMatchObject({ outcome: 'disclosed', legalBasis: 'bg_conflict_van_plichten' });
    expect(bekend.data).toEqual({ inZorg: true });
    await checkReceipt(after, [bekend]);
    // Only the requesting partner reads the request.
    expect((await clients.as('demo-om', 'officier').get(`/v1/requests/${requestId}`)).status).toBe(404);
  });

  it('releases GGZ categories on a consent the holder recorded, and stops at once when it is withdrawn', async () => {
    const consent = {
      subject: { bsn: BSN },
      grantedBy: 'betrokkene',
      evidence: 'toestemmingsformulier 2026-11',
      recipients: ['politie'],
      purposes: ['risicotaxatie'],
      categories: ['ggz.behandelaar', 'ggz.risicosamenvatting'],
      validFrom: new Date(Date.now() - 86_400_000).toISOString(),
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    };
    // Only the holder records consent for its categories.
    expect((await regisseur().post('/v1/consents', consent)).status).toBe(403);
    const recorded = await behandelaar().post('/v1/consents', consent);
    expect(recorded.status).toBe(201);
    const consentId = recorded.body.id as string;

    const withConsent = await ask(caseId, 'risicotaxatie', ['ggz.behandelaar', 'ggz.risicosamenvatting']);
    expect(item(withConsent, 'ggz.behandelaar')).toMatchObject({
      outcome: 'disclosed',
      legalBasis: 'bg_toestemming',
      data: { naam: 'Dr. A. Voorbeeld', functie: 'psychiater' },
    });
    // The risk summary is written for the request: consent makes it a review with consent as its ground.
    expect(item(withConsent, 'ggz.risicosamenvatting').outcome).toBe('pending_review');
    const reviewsBefore = (await behandelaar().get('/v1/reviews')).body as unknown as { requestId: string }[];
    expect(reviewsBefore.some((r) => r.requestId === withConsent.body.id)).toBe(true);

    // Nobody but the holder can withdraw it, nor learn that it exists.
    expect((await regisseur().delete(`/v1/consents/${consentId}`)).status).toBe(404);
    const withdrawn = await behandelaar().delete(`/v1/consents/${consentId}`);
    expect(withdrawn.status).toBe(204);

    // The pending review it was the basis for is cancelled: gone from the queue, and the item reads denied.
    const reviewsAfter = (await behandelaar().get('/v1/reviews')).body as unknown as { requestId: string }[];
    expect(reviewsAfter.some((r) => r.requestId === withConsent.body.id)).toBe(false);
    const earlier = await regisseur().get(`/v1/requests/${withConsent.body.id as string}`);
    expect(item(earlier, 'ggz.risicosamenvatting')).toMatchObject({
      outcome: 'denied',
      reasons: [expect.objectContaining({ code: 'BG_REVIEW_CANCELLED' })],
    });
    expect(item(earlier, 'ggz.risicosamenvatting').data).toBeUndefined();

    // Later requests no longer get the category: back to the holder's review.
    const later = await ask(caseId, 'risicotaxatie', ['ggz.behandelaar']);
    expect(item(later, 'ggz.behandelaar').outcome).toBe('pending_review');
    expect(item(later, 'ggz.behandelaar').data).toBeUndefined();
    expect(later.body.receipt).toBeUndefined();
    // Withdrawing twice is not possible.
    expect((await behandelaar().delete(`/v1/consents/${consentId}`)).status).toBe(404);
  });

  it('carries the approach through to monitoring, where the regional partner asks for what it needs', async () => {
    const events = [
      {
        type: 'risicotaxatie_afgerond',
        data: {
          instrument: 'demo',
          intentie: 'midden',
          potentie: 'laag',
          concreetheid: 'midden',
          zorgniveau: 'midden',
          volgendeBeoordeling: '2027-01-15',
        },
      },
      { type: 'aanpak_gepland', data: { leadPartner: 'demo-ggz', interventies: ['bemoeizorg'] } },
    ];
    for (const event of events) {
      expect((await regisseur().post(`/v1/cases/${caseId}/events`, event)).status).toBe(201);
    }
    expect(
      (
        await behandelaar().post(`/v1/cases/${caseId}/events`, {
          type: 'aanpak_geaccepteerd',
          data: { partner: 'demo-ggz' },
        })
      ).status,
    ).toBe(201);
    expect((await regisseur().get(`/v1/cases/${caseId}`)).body).toMatchObject({ phase: 'monitoring' });
    const answer = await behandelaar().post('/v1/requests', {
      caseId,
      subject: { bsn: BSN },
      purpose: 'monitoring',
      categories: ['politie.dreigingsmeldingen', 'om.strafzaken'],
    });
    expect(answer.status).toBe(200);
    expect(item(answer, 'politie.dreigingsmeldingen').outcome).toBe('disclosed');
    // Not in the matrix for the GGZ: denied, and the denial shows nothing of the OM's records.
    expect(item(answer, 'om.strafzaken')).toMatchObject({ outcome: 'denied' });
    expect(answer.raw).not.toContain('vervolging');
  });

  it('closes the case: no purpose is allowed any more, members and events are refused, break-glass too', async () => {
    const closed = await regisseur().post(`/v1/cases/${caseId}/events`, {
      type: 'zaak_gesloten',
      data: { redenCode: 'dreiging_hanteerbaar' },
    });
    expect(closed.status).toBe(201);
    expect((await regisseur().get(`/v1/cases/${caseId}`)).body).toMatchObject({
      status: 'closed',
      phase: 'gesloten',
    });
    const after = await ask(caseId, 'risicotaxatie', ['politie.registraties', 'om.strafzaken']);
    expect(after.status).toBe(200);
    for (const i of after.body.items as Item[]) {
      expect(i.outcome).toBe('denied');
      expect(i.data).toBeUndefined();
      expect(i.reasons.map((r) => r.code)).toContain('NTK_CASE_CLOSED');
    }
    expect(after.body.receipt).toBeUndefined();
    const member = await regisseur().post(`/v1/cases/${caseId}/members`, {
      partner: 'demo-kmar',
      role: 'analist',
    });
    expect(member).toMatchObject({ status: 409, body: { code: 'ERR_CASE_CLOSED' } });
    expect(member.type).toMatch(/^application\/problem\+json/);
    const glass = await clients.as('demo-om', 'officier').post('/v1/requests', {
      caseId,
      subject: { bsn: BSN },
      purpose: 'acuut_gevaar',
      categories: ['politie.wapenvergunning'],
      justification: 'acute dreiging',
    });
    expect(glass.status).toBe(200);
    expect(item(glass, 'politie.wapenvergunning')).toMatchObject({ outcome: 'denied' });
    expect(item(glass, 'politie.wapenvergunning').data).toBeUndefined();
  });

  it('leaves a log that verifies and holds no BSN, with the story in the access overview', async () => {
    expect(await broker.stop('SIGTERM')).toBe(0);
    const verify = await runSchakel(['audit', 'verify'], { cwd });
    expect(verify.code).toBe(0);
    expect(broker.output()).not.toContain(BSN);
    const overview = await runSchakel(['audit', 'subject', '--bsn', BSN], { cwd });
    expect(overview.code).toBe(0);
    expect(overview.stdout).toContain('demo-politie');
    expect(overview.stdout).not.toContain('demo-aivd');
  }, 60_000);
});
