// A small hand-built history (20 cases in January 2025) whose indicator values are worked out in the tests.
import type { Kysely } from 'kysely';
import { createAuditLog } from '../../broker/audit/appender.ts';
import { generateKeyringFile, loadKeyring } from '../../broker/audit/keyring.ts';
import type { Database } from '../../broker/store/schema.ts';
import { insertTestPartners } from '../support/demo-partners.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const BASE = Date.parse('2025-01-10T09:00:00Z');

export const caseId = (i: number) => `case-${String(i).padStart(2, '0')}`;
export const personOf = (i: number) => `pseudo-${String(i).padStart(2, '0')}`;
const at = (ms: number) => new Date(ms);

/**
 * Cases 1-20, reported by demo-politie on 10 January 2025 (channel rik); regions Noord (1-10),
 * Zuid (11-19), Oost (20). Cases 1-15 included 2 days later, 16-20 excluded (geen_fixatie) after 4.
 * Risk assessments for 1-10 five days after inclusion; plans for 1-5 ten days after inclusion,
 * accepted 3 days later; cases 1-5 closed 100 days after the report (dreiging_weggenomen).
 * Requests one day after inclusion: 1-10 to demo-ggz (1-5 released on conflict_van_plichten after
 * 6 h, 6-10 refused after 12 h) and demo-om (disclosed after 1 h, wjsg_39f); 11-15 to demo-ggz,
 * review still pending and overdue; 16-20 to demo-aivd (not found after 2 h).
 * Cases 31-35 (July 2025) give the outcome indicators something to count: see seedOutcomes.
 */
export async function seedHistory(db: Kysely<Database>): Promise<void> {
  await insertTestPartners(db);
  let event = 0;
  const addEvent = async (i: number, type: string, data: object, when: number, partner = 'demo-politie') => {
    event += 1;
    await db
      .insertInto('case_events')
      .values({
        id: `ev-${event}`,
        case_id: caseId(i),
        type,
        data: JSON.stringify(data),
        medical: type === 'zorgstatus_gewijzigd',
        recorded_by_partner: partner,
        recorded_by_user: 'u-1',
        recorded_at: at(when),
      })
      .execute();
  };
  for (let i = 1; i <= 20; i++) {
    const reported = BASE + i * 60_000;
    const region = i <= 10 ? 'Noord' : i <= 19 ? 'Zuid' : 'Oost';
    await db
      .insertInto('cases')
      .values({
        id: caseId(i),
        subject_pseudonym: personOf(i),
        status: 'open',
        phase: 'melding',
        lead_partner_id: 'demo-politie',
        emergency: false,
        takeover_due_at: null,
        opened_by_user: 'u-1',
        created_at: at(reported),
        closed_at: null,
      })
      .execute();
    await addEvent(
      i,
      'melding_ontvangen',
      {
        bron: 'demo-politie',
        eenheid: 'landelijk-team',
        regio: region,
        kanaal: 'rik',
        bedreigdeCategorie: 'politiek_ambtsdrager',
        dreigerType: 'gefixeerd',
      },
      reported,
    );
    const included = i <= 15;
    const decided = reported + (included ? 2 : 4) * DAY;
    await addEvent(
      i,
      'inclusiebesluit',
      included ? { besluit: 'in' } : { besluit: 'uit', redenCode: 'geen_fixatie' },
      decided,
    );
    if (i <= 10) {
      await addEvent(
        i,
        'risicotaxatie_afgerond',
        {
          instrument: 'x',
          intentie: 'midden',
          potentie: 'midden',
          concreetheid: 'laag',
          zorgniveau: 'midden',
          volgendeBeoordeling: '2025-03-01',
        },
        decided + 5 * DAY,
      );
    }
    if (i <= 5) {
      await addEvent(
        i,
        'aanpak_gepland',
        { leadPartner: 'demo-ggz', interventies: ['gesprek'] },
        decided + 10 * DAY,
      );
      await addEvent(i, 'aanpak_geaccepteerd', { partner: 'demo-ggz' }, decided + 13 * DAY);
      await addEvent(i, 'zaak_gesloten', { redenCode: 'dreiging_weggenomen' }, reported + 100 * DAY);
    }
    await seedRequest(db, i, decided + DAY);
  }
  await seedOutcomes(db);
}

const JULY = Date.parse('2025-07-01T09:00:00Z');

/**
 * Cases 31-35, reported by demo-politie on 1 July 2025 (region Noord) and worked out by hand in
 * the tests for 2025-Q3: before the inclusion decision (day 2) each has answers from politie (1 h),
 * GGZ (released after 6 h), OM (1 h) and AIVD (not found, 2 h); a second request on day 2 is denied
 * by need-to-know (NTK_NOT_IN_MATRIX); a break-glass request on day 3 is reviewed 10 h later;
 * feedback to the source on day 5; risk assessments on day 4 (hoog, review 15 August) and on
 * 10 August (laag, review 1 February 2026) with a monitoring contact on day 20 between them; care
 * status from not in care to in care on day 10; an action due 1 August done on 20 July; an
 * incident on day 30.
 */
async function seedOutcomes(db: Kysely<Database>): Promise<void> {
  let clock = JULY;
  const log = createAuditLog({
    db,
    keyring: await loadKeyring(await generateKeyringFile()),
    now: () => new Date(clock),
  });
  let event = 1000;
  const addEvent = async (i: number, type: string, data: object, when: number) => {
    event += 1;
    await db
      .insertInto('case_events')
      .values({
        id: `ev-${event}`,
        case_id: caseId(i),
        type,
        data: JSON.stringify(data),
        medical: type === 'zorgstatus_gewijzigd',
        recorded_by_partner: type === 'zorgstatus_gewijzigd' ? 'demo-ggz' : 'demo-politie',
        recorded_by_user: 'u-1',
        recorded_at: at(when),
      })
      .execute();
  };
  const request = async (i: number, id: string, purpose: string, when: number) =>
    db
      .insertInto('info_requests')
      .values({
        id,
        case_id: caseId(i),
        requester_partner_id: 'demo-politie',
        requester_user: 'u-1',
        requester_role: purpose === 'acuut_gevaar' ? 'teamleider' : 'casusregisseur',
        purpose,
        subject_pseudonym: personOf(i),
        sealed_subject: null,
        justification: purpose === 'acuut_gevaar' ? 'levensgevaar' : null,
        created_at: at(when),
      })
      .execute();
  const item = (
    id: string,
    idx: number,
    holder: string,
    outcome: string,
    answered: number | null,
    reasons = '[]',
  ) => ({
    request_id: id,
    idx,
    holder_partner_id: holder,
    category: holder === 'demo-ggz' ? 'ggz.bekend' : 'x.y',
    outcome: outcome as 'disclosed',
    reasons,
    legal_basis: outcome === 'disclosed' ? 'wpg_16' : null,
    log_seq: null,
    answered_at: answered === null ? null : at(answered),
  });
  for (let i = 31; i <= 35; i++) {
    const reported = JULY + i * 60_000;
    await db
      .insertInto('cases')
      .values({
        id: caseId(i),
        subject_pseudonym: personOf(i),
        status: 'open',
        phase: 'melding',
        lead_partner_id: 'demo-politie',
        emergency: false,
        takeover_due_at: null,
        opened_by_user: 'u-1',
        created_at: at(reported),
        closed_at: null,
      })
      .execute();
    const melding = {
      bron: 'demo-politie',
      eenheid: 'landelijk-team',
      regio: 'Noord',
      kanaal: 'rik',
      bedreigdeCategorie: 'koninklijk_huis',
      dreigerType: 'verward',
    };
    await addEvent(i, 'melding_ontvangen', melding, reported);
    const asked = reported + HOUR;
    await request(i, `req-${i}`, 'melding_beoordeling', asked);
    await db
      .insertInto('request_items')
      .values([
        item(`req-${i}`, 0, 'demo-politie', 'disclosed', asked + HOUR),
        item(`req-${i}`, 1, 'demo-ggz', 'pending_review', null),
        item(`req-${i}`, 2, 'demo-om', 'disclosed', asked + HOUR),
        item(`req-${i}`, 3, 'demo-aivd', 'not_found', asked + 2 * HOUR),
      ])
      .execute();
    await db
      .insertInto('reviews')
      .values({
        id: `rev-${i}`,
        request_id: `req-${i}`,
        idx: 1,
        holder_partner_id: 'demo-ggz',
        reviewer_role: 'behandelaar',
        category: 'ggz.bekend',
        purpose: 'melding_beoordeling',
        requester_partner_id: 'demo-politie',
        urgent: false,
        basis_consent_ids: '[]',
        status: 'released',
        decision: JSON.stringify({ ground: 'conflict_van_plichten' }),
        decided_by_user: 'b-1',
        decided_at: at(asked + 6 * HOUR),
        due_at: at(asked + 3 * DAY),
      })
      .execute();
    await addEvent(i, 'inclusiebesluit', { besluit: 'in' }, reported + 2 * DAY);
    await request(i, `req-ntk-${i}`, 'risicotaxatie', reported + 2 * DAY + HOUR);
    await db
      .insertInto('request_items')
      .values(
        item(
          `req-ntk-${i}`,
          0,
          'demo-kmar',
          'denied',
          reported + 2 * DAY + HOUR,
          '[{"code":"NTK_NOT_IN_MATRIX"}]',
        ),
      )
      .execute();
    const glass = reported + 3 * DAY;
    await request(i, `req-bg-${i}`, 'acuut_gevaar', glass);
    clock = glass + 10 * HOUR;
    await log.append({
      type: 'breakglass.reviewed',
      actor: { partnerId: 'demo-politie', personId: 'po-politie', role: 'privacy_officer' },
      processingActivity: 'dreigingsmanagement.doorbraak_toetsing',
      parties: ['demo-politie'],
      requestId: `req-bg-${i}`,
      outcome: 'gerechtvaardigd',
      details: { verdict: 'gerechtvaardigd' },
    });
    const assessment = (zorgniveau: string, review: string) => ({
      instrument: 'x',
      intentie: 'midden',
      potentie: 'midden',
      concreetheid: 'laag',
      zorgniveau,
      volgendeBeoordeling: review,
    });
    await addEvent(i, 'risicotaxatie_afgerond', assessment('hoog', '2025-08-15'), reported + 4 * DAY);
    await addEvent(i, 'terugkoppeling_gegeven', { aan: 'demo-politie' }, reported + 5 * DAY);
    await addEvent(i, 'zorgstatus_gewijzigd', { van: 'niet_in_zorg', naar: 'in_zorg' }, reported + 10 * DAY);
    await addEvent(
      i,
      'actie_afgesproken',
      { actieId: 'A1', eigenaar: 'demo-ggz', deadline: '2025-08-01' },
      reported + 11 * DAY,
    );
    await addEvent(i, 'actie_afgerond', { actieId: 'A1' }, Date.parse('2025-07-20T10:00:00Z'));
    await addEvent(i, 'monitoringscontact', { door: 'demo-ggz', uitkomst: 'contact' }, reported + 20 * DAY);
    await addEvent(
      i,
      'incident_gemeld',
      { soort: 'dreiging', bedreigdeCategorie: 'koninklijk_huis' },
      reported + 30 * DAY,
    );
    await addEvent(
      i,
      'risicotaxatie_afgerond',
      assessment('laag', '2026-02-01'),
      Date.parse('2025-08-10T10:00:00Z'),
    );
  }
  await log.close();
}

async function seedRequest(db: Kysely<Database>, i: number, requested: number): Promise<void> {
  const id = `req-${i}`;
  await db
    .insertInto('info_requests')
    .values({
      id,
      case_id: caseId(i),
      requester_partner_id: 'demo-politie',
      requester_user: 'u-1',
      requester_role: 'analist',
      purpose: 'risicotaxatie',
      subject_pseudonym: personOf(i),
      sealed_subject: null,
      justification: null,
      created_at: at(requested),
    })
    .execute();
  const item = (
    idx: number,
    holder: string,
    outcome: 'disclosed' | 'pending_review' | 'not_found',
    hours?: number,
    basis?: string,
  ) => ({
    request_id: id,
    idx,
    holder_partner_id: holder,
    category: holder === 'demo-ggz' ? 'ggz.bekend' : 'x.y',
    outcome,
    reasons: '[]',
    legal_basis: basis ?? null,
    log_seq: null,
    answered_at: hours === undefined ? null : at(requested + hours * HOUR),
  });
  if (i > 15) {
    await db
      .insertInto('request_items')
      .values(item(0, 'demo-aivd', 'not_found', 2))
      .execute();
    return;
  }
  await db
    .insertInto('request_items')
    .values(item(0, 'demo-ggz', 'pending_review'))
    .execute();
  if (i <= 10)
    await db
      .insertInto('request_items')
      .values(item(1, 'demo-om', 'disclosed', 1, 'wjsg_39f'))
      .execute();
  const status = i <= 5 ? 'released' : i <= 10 ? 'refused' : 'pending';
  await db
    .insertInto('reviews')
    .values({
      id: `rev-${i}`,
      request_id: id,
      idx: 0,
      holder_partner_id: 'demo-ggz',
      reviewer_role: 'behandelaar',
      category: 'ggz.bekend',
      purpose: 'risicotaxatie',
      requester_partner_id: 'demo-politie',
      urgent: false,
      basis_consent_ids: '[]',
      status,
      decision:
        status === 'pending'
          ? null
          : JSON.stringify(
              status === 'released' ? { ground: 'conflict_van_plichten' } : { reden_code: 'geen_noodzaak' },
            ),
      decided_by_user: status === 'pending' ? null : 'b-1',
      decided_at: status === 'pending' ? null : at(requested + (status === 'released' ? 6 : 12) * HOUR),
      due_at: at(requested + 5 * DAY),
    })
    .execute();
}
