// A request's case, members and consents in force come from one statement, exactly as the two services read them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseService } from '../../broker/cases/case-service.ts';
import { loadCatalogue } from '../../broker/catalogue.ts';
import { createConsentService } from '../../broker/consents/consent-service.ts';
import { createRequestContextLoader, loadRequestContexts } from '../../broker/requests/request-context.ts';
import type { Store } from '../../broker/store/database.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';
import { insertTestPartners } from '../support/demo-partners.ts';
import { createRecordingAppender } from '../support/recording-audit.ts';
import { countStatements } from '../support/statement-counter.ts';
import { asPartner as as } from '../support/test-caller.ts';

const BSN = '111222333';
const OTHER_BSN = '123456782';
const MELDING = {
  bron: 'demo-politie',
  eenheid: 'Landelijk Team',
  regio: 'Midden-Nederland',
  kanaal: 'rik',
  bedreigdeCategorie: 'minister_president',
  dreigerType: 'gefixeerd',
} as const;

describe.each(BACKENDS)('the request context on %s', (backend) => {
  let store: Store;
  // Two key generations: consents recorded under the old one still count after a rotation.
  const pseudonymise = (bsn: string) => `p2.${bsn}`;
  const candidates = (bsn: string) => [`p2.${bsn}`, `p1.${bsn}`];
  const behandelaar = as('demo-ggz', 'behandelaar');
  const regisseur = as('demo-politie', 'casusregisseur');
  let services: {
    cases: ReturnType<typeof createCaseService>;
    consents: ReturnType<typeof createConsentService>;
  };

  beforeAll(async () => {
    store = await openTestStore(backend);
    await insertTestPartners(store.db);
    const audit = createRecordingAppender();
    const catalogue = loadCatalogue();
    services = {
      cases: createCaseService({ db: store.db, audit, catalogue, pseudonymise }),
      consents: createConsentService({
        db: store.db,
        audit,
        catalogue,
        pseudonymise,
        pseudonymCandidates: candidates,
      }),
    };
  }, 60_000);
  afterAll(async () => {
    await store?.close();
  });

  /** One request's context, read through the batching loader as the request service does. */
  const load = (db: Store['db'], caseId: string, subjectPseudonyms: readonly string[]) =>
    createRequestContextLoader(db).load({ caseId, subjectPseudonyms });

  const consent = (bsn: string, categories: string[]) =>
    services.consents.record(behandelaar, {
      subject: { bsn },
      grantedBy: 'betrokkene',
      evidence: 'formulier',
      recipients: ['politie', 'demo-om'],
      purposes: ['risicotaxatie'],
      categories,
      validFrom: '2026-11-01T00:00:00.123+01:00',
      validUntil: '2027-11-01T00:00:00Z',
    });

  it('reads what cases.load and consents.activeFor read, in one statement', async () => {
    const opened = await services.cases.open(regisseur, { bsn: BSN, melding: MELDING });
    await services.cases.addMember(regisseur, opened.id, { partner: 'demo-ggz', role: 'behandelaar' });
    await services.cases.addMember(regisseur, opened.id, { partner: 'demo-om', role: 'officier' });
    await consent(BSN, ['ggz.bekend', 'ggz.behandelaar']);
    const rotated = await consent(BSN, ['ggz.zorgmaatregel']);
    await consent(OTHER_BSN, ['ggz.bekend']);
    // A consent under the previous key generation of the pseudonym.
    await store.db
      .updateTable('consents')
      .set({ subject_pseudonym: `p1.${BSN}` })
      .where('id', '=', rotated.id)
      .execute();

    const counting = countStatements(store.db);
    const context = await load(counting.db, opened.id, candidates(BSN));
    expect(counting.count()).toBe(1);
    expect(context?.caseRecord).toEqual(await services.cases.load(opened.id));
    expect(context?.caseRecord.members.map((m) => m.partnerId)).toEqual([
      'demo-politie',
      'demo-ggz',
      'demo-om',
    ]);
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    const expected = await services.consents.activeFor(BSN);
    expect(expected).toHaveLength(2);
    expect([...context!.consents].sort(byId)).toEqual([...expected].sort(byId));
    expect(context!.consents.map((c) => c.validFrom.toISOString())).toEqual([
      '2026-10-31T23:00:00.123Z',
      '2026-10-31T23:00:00.123Z',
    ]);
  });

  it('leaves out a withdrawn consent as soon as the withdrawal is committed', async () => {
    const opened = await services.cases.open(regisseur, { bsn: OTHER_BSN, melding: MELDING });
    const before = await load(store.db, opened.id, candidates(OTHER_BSN));
    expect(before?.consents).toHaveLength(1);
    await services.consents.withdraw(behandelaar, before!.consents[0]!.id);
    const after = await load(store.db, opened.id, candidates(OTHER_BSN));
    expect(after?.consents).toEqual([]);
  });

  it('sees a closed case as closed at once', async () => {
    const opened = await services.cases.open(regisseur, { bsn: BSN, melding: MELDING });
    await services.cases.recordEvent(regisseur, opened.id, {
      type: 'zaak_gesloten',
      data: { redenCode: 'dreiging_weggenomen' },
    });
    const context = await load(store.db, opened.id, candidates(BSN));
    expect(context?.caseRecord).toMatchObject({ status: 'closed', phase: 'gesloten' });
  });

  it('reads the contexts of the requests of one turn with one statement, each its own', async () => {
    const first = await services.cases.open(regisseur, { bsn: BSN, melding: MELDING });
    const second = await services.cases.open(regisseur, { bsn: OTHER_BSN, melding: MELDING });
    await services.cases.addMember(regisseur, second.id, { partner: 'demo-ggz', role: 'behandelaar' });
    await consent(OTHER_BSN, ['ggz.behandelaar']);
    const counting = countStatements(store.db);
    const loader = createRequestContextLoader(counting.db);
    const keys = [
      { caseId: first.id, subjectPseudonyms: candidates(BSN) },
      { caseId: second.id, subjectPseudonyms: candidates(OTHER_BSN) },
      { caseId: 'no-such-case', subjectPseudonyms: candidates(BSN) },
      { caseId: second.id, subjectPseudonyms: candidates(BSN) },
    ];
    const contexts = await Promise.all(keys.map((key) => loader.load(key)));
    expect(counting.count()).toBe(1);
    expect(contexts.map((c) => c?.caseRecord.id)).toEqual([first.id, second.id, undefined, second.id]);
    expect(contexts[1]?.caseRecord.members.map((m) => m.partnerId)).toEqual(['demo-politie', 'demo-ggz']);
    // Each request gets its own subject's consents, whatever case it names.
    const active = async (bsn: string) => (await services.consents.activeFor(bsn)).map((c) => c.id).sort();
    expect(contexts[0]!.consents.map((c) => c.id).sort()).toEqual(await active(BSN));
    expect(contexts[1]!.consents.map((c) => c.id).sort()).toEqual(await active(OTHER_BSN));
    expect(contexts[3]!.consents.map((c) => c.id).sort()).toEqual(await active(BSN));
    expect(await active(OTHER_BSN)).toHaveLength(1);
    expect(await loadRequestContexts(store.db, [])).toEqual([]);
  });

  it('fails every request of the turn when the statement fails', async () => {
    const bare = await openTestStore(backend, { migrate: false });
    try {
      const loader = createRequestContextLoader(bare.db);
      const results = await Promise.allSettled([
        loader.load({ caseId: 'a', subjectPseudonyms: candidates(BSN) }),
        loader.load({ caseId: 'b', subjectPseudonyms: candidates(OTHER_BSN) }),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    } finally {
      await bare.close();
    }
  });

  it('answers undefined for an unknown case and no consents without pseudonyms', async () => {
    expect(await load(store.db, '00000000-0000-4000-8000-000000000000', candidates(BSN))).toBeUndefined();
    const opened = await services.cases.open(regisseur, { bsn: BSN, melding: MELDING });
    const context = await load(store.db, opened.id, []);
    expect(context?.consents).toEqual([]);
    expect(context?.caseRecord.members).toHaveLength(1);
  });
});
