// SYNTHETIC history: the plan of one case's life (report to closure) as timed steps, before anything runs.
import type { Melding } from '../cases/vocabulary.ts';
import type { Random } from './random.ts';

/** The partners a generated history uses, by kind (the demo partners by default). */
export interface HistoryPartners {
  readonly politie: string;
  readonly ggz: string;
  readonly om: string;
  readonly kmar: string;
  readonly dkdb: string;
  readonly aivd: string;
  readonly veiligheidshuis: string;
}

export const DEMO_HISTORY_PARTNERS: HistoryPartners = {
  politie: 'demo-politie',
  ggz: 'demo-ggz',
  om: 'demo-om',
  kmar: 'demo-kmar',
  dkdb: 'demo-dkdb',
  aivd: 'demo-aivd',
  veiligheidshuis: 'demo-veiligheidshuis',
};

/** Who acts: a partner (by id) and the role its user acts in. */
export interface Actor {
  readonly partner: string;
  readonly role: string;
}

/** What a holder's professional decides on the pending reviews of one request. */
export type ReviewChoice =
  | {
      readonly decision: 'release';
      readonly ground: 'conflict_van_plichten' | 'wettelijk_voorschrift' | 'ambtsbericht';
    }
  | { readonly decision: 'refuse'; readonly redenCode: string };

/** One operation of the plan; requests are named by a per-case number (`ref`). */
export type Operation =
  | { readonly kind: 'open'; readonly melding: Melding }
  | { readonly kind: 'member'; readonly partner: string; readonly role: string }
  | {
      readonly kind: 'event';
      readonly as: Actor;
      readonly type: string;
      readonly data: Record<string, unknown>;
    }
  | {
      readonly kind: 'request';
      readonly ref: number;
      readonly as: Actor;
      readonly purpose: string;
      readonly categories: readonly string[];
      readonly justification?: string;
    }
  | { readonly kind: 'review'; readonly ref: number; readonly holder: string; readonly choice: ReviewChoice }
  | { readonly kind: 'fetch'; readonly ref: number; readonly as: Actor }
  | { readonly kind: 'consent'; readonly days: number }
  | { readonly kind: 'withdraw' }
  | {
      readonly kind: 'breakglass_review';
      readonly ref: number;
      readonly verdict: 'gerechtvaardigd' | 'niet_gerechtvaardigd';
    };

/** An operation at its simulated instant. */
export interface Step {
  readonly caseIndex: number;
  readonly at: number;
  readonly op: Operation;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const REGIONS = [
  'Noord-Nederland',
  'Oost-Nederland',
  'Midden-Nederland',
  'Noord-Holland',
  'Amsterdam',
  'Den Haag',
  'Rotterdam',
  'Zeeland-West-Brabant',
  'Oost-Brabant',
  'Limburg',
] as const;

const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Plans one case reported between `start` and `end` (epoch ms): members, requests with the
 * professionals' review decisions, the case events of DOMAIN.md, and closure. Steps after `end` or
 * after the case is closed are left out.
 */
export function planCase(
  rng: Random,
  caseIndex: number,
  window: { readonly start: number; readonly end: number },
  p: HistoryPartners = DEMO_HISTORY_PARTNERS,
): Step[] {
  const steps: Step[] = [];
  const add = (at: number, op: Operation) => steps.push({ caseIndex, at: Math.round(at), op });
  const regie: Actor = { partner: p.politie, role: 'casusregisseur' };
  let ref = 0;

  const t0 = rng.between(window.start, window.end - 2 * DAY);
  const kanaal = rng.weighted([
    ['rik', 60],
    ['kmar_meldpunt', 8],
    ['dkdb_meldpunt', 14],
    ['derden', 12],
    ['anders', 6],
  ] as const);
  const bron = kanaal === 'kmar_meldpunt' ? p.kmar : kanaal === 'dkdb_meldpunt' ? p.dkdb : p.politie;
  const regio = rng.pick(REGIONS);
  add(t0, {
    kind: 'open',
    melding: {
      bron,
      eenheid: bron === p.politie ? `Eenheid ${regio}` : bron === p.kmar ? 'KMar Meldpunt' : 'DKDB Meldpunt',
      regio,
      kanaal,
      bedreigdeCategorie: rng.weighted([
        ['koninklijk_huis', 25],
        ['minister_president', 20],
        ['politiek_ambtsdrager', 40],
        ['overig_publiek', 15],
      ] as const),
      dreigerType: rng.weighted([
        ['verward', 35],
        ['gefixeerd', 30],
        ['besluit_gerelateerd', 15],
        ['crimineel', 8],
        ['onbekend', 12],
      ] as const),
    },
  });

  const members = {
    ggz: true,
    om: rng.chance(0.7),
    kmar: rng.chance(0.3),
    dkdb: rng.chance(0.4) || bron === p.dkdb,
    aivd: rng.chance(0.15),
    veiligheidshuis: rng.chance(0.5),
  };
  const roles = {
    ggz: 'behandelaar',
    om: 'officier',
    kmar: 'analist',
    dkdb: 'beveiligingscoordinator',
    aivd: 'analist',
    veiligheidshuis: 'procesregisseur',
  } as const;
  let t = t0;
  for (const kind of Object.keys(members) as (keyof typeof members)[]) {
    if (!members[kind]) continue;
    t += rng.between(0.1, 1) * HOUR;
    add(t, { kind: 'member', partner: p[kind], role: roles[kind] });
  }

  /** A request, the holders' review decisions on what went to review, and the requester's look afterwards. */
  const request = (at: number, as: Actor, purpose: string, categories: string[], justification?: string) => {
    ref += 1;
    add(at, { kind: 'request', ref, as, purpose, categories, ...(justification ? { justification } : {}) });
    let lastDecision: number | undefined;
    if (categories.some((c) => c.startsWith('ggz.')) && rng.chance(0.9)) {
      const decidedAt = at + Math.min(rng.exponential(30), 240) * HOUR + 0.2 * HOUR;
      const choice: ReviewChoice = rng.weighted<ReviewChoice>([
        [{ decision: 'release', ground: 'conflict_van_plichten' }, 40],
        [{ decision: 'release', ground: 'wettelijk_voorschrift' }, 12],
        [{ decision: 'refuse', redenCode: 'geen_noodzaak' }, 28],
        [{ decision: 'refuse', redenCode: 'niet_proportioneel' }, 12],
        [{ decision: 'refuse', redenCode: 'toestemming_geweigerd' }, 8],
      ]);
      add(decidedAt, { kind: 'review', ref, holder: p.ggz, choice });
      lastDecision = decidedAt;
    }
    if (categories.includes('aivd.ambtsbericht')) {
      const decidedAt = at + rng.between(4, 120) * HOUR;
      const choice: ReviewChoice = rng.chance(0.6)
        ? { decision: 'release', ground: 'ambtsbericht' }
        : { decision: 'refuse', redenCode: 'bronbescherming' };
      add(decidedAt, { kind: 'review', ref, holder: p.aivd, choice });
      lastDecision = Math.max(lastDecision ?? 0, decidedAt);
    }
    if (lastDecision !== undefined)
      add(lastDecision + rng.between(0.5, 24) * HOUR, { kind: 'fetch', ref, as });
    return ref;
  };
  const event = (at: number, as: Actor, type: string, data: Record<string, unknown>) =>
    add(at, { kind: 'event', as, type, data });

  // Melding: what the partners know before the inclusion decision.
  const meldingCategories = ['politie.registraties', 'ggz.bekend', 'om.strafzaken'];
  if (rng.chance(0.6)) meldingCategories.push('aivd.signaal');
  request(t0 + rng.between(2, 30) * HOUR, regie, 'melding_beoordeling', meldingCategories);

  const decidedAt = t0 + DAY + rng.exponential(6) * DAY;
  const included = rng.chance(0.78);
  let closedAt = Number.POSITIVE_INFINITY;
  const feedbackAt = t0 + rng.exponential(14) * DAY;
  if (!included) {
    if (rng.chance(0.7))
      event(Math.min(feedbackAt, decidedAt - HOUR), regie, 'terugkoppeling_gegeven', { aan: bron });
    event(decidedAt, regie, 'inclusiebesluit', {
      besluit: 'uit',
      redenCode: rng.weighted([
        ['geen_fixatie', 30],
        ['geen_psychische_problematiek', 25],
        ['doelwit_buiten_scope', 20],
        ['onvoldoende_informatie', 15],
        ['anders', 10],
      ] as const),
    });
    closedAt = decidedAt;
    return finish(steps, window.end, closedAt);
  }
  event(decidedAt, regie, 'inclusiebesluit', { besluit: 'in' });
  if (rng.chance(0.85))
    event(Math.max(feedbackAt, decidedAt + HOUR), regie, 'terugkoppeling_gegeven', { aan: bron });

  // Some persons consent to their GGZ professional sharing with the police; a few withdraw later.
  const consent = rng.chance(0.25);
  if (consent) {
    const at = decidedAt + rng.between(0, 3) * DAY;
    add(at, { kind: 'consent', days: 365 });
    if (rng.chance(0.15)) add(at + rng.between(30, 200) * DAY, { kind: 'withdraw' });
  }

  // Informatie: the risk assessment's requests.
  const riskCategories = [
    'ggz.bekend',
    'ggz.behandelaar',
    'om.justitiele_documentatie',
    'politie.wapenvergunning',
  ];
  if (members.kmar || rng.chance(0.3)) riskCategories.push('kmar.grensbewegingen');
  if (members.dkdb) riskCategories.push('dkdb.naderingen');
  if (members.aivd && rng.chance(0.5)) riskCategories.push('aivd.ambtsbericht');
  request(decidedAt + rng.between(0.2, 4) * DAY, regie, 'risicotaxatie', riskCategories);
  if (members.om && rng.chance(0.5)) {
    request(decidedAt + rng.between(0.5, 6) * DAY, { partner: p.om, role: 'officier' }, 'risicotaxatie', [
      'politie.registraties',
      'ggz.zorgmaatregel',
    ]);
  }
  // A few requests the need-to-know rules deny: a category outside the matrix, a purpose before its phase.
  if (members.kmar && rng.chance(0.15)) {
    request(decidedAt + rng.between(0.5, 3) * DAY, { partner: p.kmar, role: 'analist' }, 'risicotaxatie', [
      'ggz.bekend',
    ]);
  }
  if (members.veiligheidshuis && rng.chance(0.15)) {
    request(
      decidedAt + rng.between(0.5, 3) * DAY,
      { partner: p.veiligheidshuis, role: 'procesregisseur' },
      'persoonsgerichte_aanpak',
      ['politie.registraties'],
    );
  }

  const levels = ['laag', 'midden', 'hoog'] as const;
  let level: number = rng.weighted([
    [1, 30],
    [2, 50],
    [3, 20],
  ] as const);
  const assessment = (at: number) => {
    const next = at + rng.between(30, 90) * DAY;
    event(at, regie, 'risicotaxatie_afgerond', {
      instrument: rng.pick(['DyRiAS', 'HCR-20', 'TAT']),
      intentie: levels[Math.max(0, level - 1 - rng.int(0, 1))]!,
      potentie: rng.pick(levels),
      concreetheid: levels[Math.max(0, level - 1 - rng.int(0, 1))]!,
      zorgniveau: levels[level - 1]!,
      volgendeBeoordeling: date(next),
    });
    return next;
  };
  const firstAssessment = decidedAt + rng.exponential(9) * DAY;
  let nextReview = firstAssessment + 30 * DAY;
  if (rng.chance(0.92)) nextReview = assessment(firstAssessment);

  const duration = rng.between(90, 720) * DAY;
  closedAt = decidedAt + duration;
  const plan = rng.chance(0.85);
  if (!plan) {
    // No approach: the case is handed over or closed after a while.
    event(closedAt, regie, 'zaak_gesloten', {
      redenCode: rng.pick(['overgedragen', 'buiten_scope', 'anders']),
    });
    return finish(steps, window.end, closedAt);
  }

  // Aanpak: a plan, taken up (or first refused) by the regional partner.
  let lead = members.veiligheidshuis && rng.chance(0.45) ? p.veiligheidshuis : p.ggz;
  const leadRole = (id: string) => (id === p.ggz ? 'behandelaar' : 'procesregisseur');
  const interventies = [
    ...new Set([
      rng.pick(['bemoeizorg', 'ambulante_zorg', 'gesprek'] as const),
      ...(rng.chance(0.4)
        ? [rng.pick(['opname', 'zorgmachtiging', 'strafrechtelijk', 'beveiligingsmaatregel'])]
        : []),
    ]),
  ];
  let plannedAt = Math.max(firstAssessment, decidedAt + rng.between(5, 45) * DAY) + HOUR;
  event(plannedAt, regie, 'aanpak_gepland', { leadPartner: lead, interventies });
  let acceptedAt = plannedAt + rng.exponential(6) * DAY;
  if (rng.chance(0.15) && members.veiligheidshuis) {
    event(acceptedAt, { partner: lead, role: leadRole(lead) }, 'aanpak_geweigerd', {
      partner: lead,
      redenCode: 'geen_capaciteit',
    });
    lead = lead === p.ggz ? p.veiligheidshuis : p.ggz;
    plannedAt = acceptedAt + rng.between(2, 10) * DAY;
    event(plannedAt, regie, 'aanpak_gepland', { leadPartner: lead, interventies });
    acceptedAt = plannedAt + rng.exponential(5) * DAY;
  }
  const leader: Actor = { partner: lead, role: leadRole(lead) };
  event(acceptedAt, leader, 'aanpak_geaccepteerd', { partner: lead });
  closedAt = Math.max(closedAt, acceptedAt + 30 * DAY);
  event(acceptedAt + rng.between(1, 14) * DAY, leader, 'interventie_gestart', { soort: interventies[0] });
  if (rng.chance(0.35)) {
    event(
      acceptedAt + rng.between(5, 90) * DAY,
      { partner: p.ggz, role: 'behandelaar' },
      'zorgstatus_gewijzigd',
      {
        van: 'niet_in_zorg',
        naar: 'in_zorg',
      },
    );
  }

  // Monitoring: monthly contacts and requests, agreed actions, re-assessments at their review date.
  let action = 0;
  for (
    let month = acceptedAt + rng.between(20, 35) * DAY;
    month < closedAt;
    month += rng.between(25, 35) * DAY
  ) {
    if (rng.chance(0.85))
      event(month, leader, 'monitoringscontact', { door: lead, uitkomst: 'contact gehad' });
    if (rng.chance(0.9)) {
      request(month + rng.between(1, 72) * HOUR, regie, 'monitoring', [
        'ggz.bekend',
        'ggz.behandelaar',
        'politie.dreigingsmeldingen',
        'politie.registraties',
        'om.bijzondere_voorwaarden',
        'dkdb.naderingen',
        'kmar.grensbewegingen',
      ]);
    }
    if (rng.chance(0.5)) {
      request(month + rng.between(1, 96) * HOUR, leader, 'persoonsgerichte_aanpak', [
        'politie.dreigingsmeldingen',
        'politie.registraties',
        'om.bijzondere_voorwaarden',
      ]);
    }
    if (rng.chance(0.3)) {
      action += 1;
      const deadline = month + rng.between(14, 45) * DAY;
      event(month + HOUR, regie, 'actie_afgesproken', {
        actieId: `A${action}`,
        eigenaar: lead,
        deadline: date(deadline),
      });
      const done = rng.weighted([
        [deadline - rng.between(1, 12) * DAY, 70],
        [deadline + rng.between(2, 30) * DAY, 15],
        [Number.POSITIVE_INFINITY, 15],
      ] as const);
      if (done > month + 2 * HOUR) event(done, leader, 'actie_afgerond', { actieId: `A${action}` });
    }
    if (rng.chance(0.025)) {
      event(month + rng.between(1, 20) * DAY, regie, 'incident_gemeld', {
        soort: rng.weighted([
          ['dreiging', 70],
          ['nadering', 25],
          ['geweld', 5],
        ] as const),
        bedreigdeCategorie: 'politiek_ambtsdrager',
      });
    }
  }
  while (nextReview < closedAt) {
    const at = rng.weighted([
      [nextReview - rng.between(0, 5) * DAY, 75],
      [nextReview + rng.between(3, 30) * DAY, 15],
      [nextReview + 30 * DAY, 10],
    ] as const);
    // A re-assessment starts from fresh information.
    request(
      at - rng.between(2, 6) * DAY,
      regie,
      'risicotaxatie',
      riskCategories.filter((c) => c !== 'aivd.ambtsbericht'),
    );
    const before = level;
    level = Math.min(
      3,
      Math.max(
        1,
        level +
          rng.weighted([
            [-1, 35],
            [0, 50],
            [1, 15],
          ] as const),
      ),
    );
    nextReview = assessment(at);
    if (level !== before) {
      event(at + HOUR, regie, 'dreigingsniveau_gewijzigd', {
        van: levels[before - 1],
        naar: levels[level - 1],
      });
    }
  }

  // Break-glass: a politie teamleider outside the team, life in danger; the privacy officer reviews.
  if (rng.chance(0.04)) {
    const at = rng.between(decidedAt, Math.min(closedAt, window.end));
    const id = request(
      at,
      { partner: p.politie, role: 'teamleider' },
      'acuut_gevaar',
      ['politie.wapenvergunning', 'kmar.grensbewegingen', 'dkdb.naderingen'],
      'Acute dreiging gemeld; direct inzicht in wapenbezit en naderingen nodig.',
    );
    add(at + Math.min(rng.exponential(36), 200) * HOUR, {
      kind: 'breakglass_review',
      ref: id,
      verdict: rng.chance(0.9) ? 'gerechtvaardigd' : 'niet_gerechtvaardigd',
    });
  }

  event(closedAt, regie, 'zaak_gesloten', {
    redenCode: rng.weighted([
      ['dreiging_weggenomen', 35],
      ['dreiging_hanteerbaar', 35],
      ['overgedragen', 15],
      ['overleden_of_vertrokken', 5],
      ['anders', 10],
    ] as const),
  });
  return finish(steps, window.end, closedAt);
}

/** Keeps what happens before the window's end and up to the closure, in time order. */
function finish(steps: Step[], end: number, closedAt: number): Step[] {
  return steps.filter((s) => s.at < end && s.at <= closedAt).sort((a, b) => a.at - b.at);
}
