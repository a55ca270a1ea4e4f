// Generates policies/scenarios.json: the scenario table that runs under `opa test`
// (scenarios_test.rego) and, in the broker's vitest suite, through the compiled wasm.
// Usage: node policies/tools/scenarios.js [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const out = fileURLToPath(new URL('../scenarios.json', import.meta.url));

// 2026-01-01T00:00:00Z; the same facts as fixtures_test.rego.
const now = 1767225600000;
const day = 86400000;

const partner = (id, kind, role) => ({
  partner_id: id,
  kind,
  national: kind === 'politie',
  role,
  user: `u-${kind}`,
});
const politie = partner('demo-politie', 'politie', 'analist');
const teamleider = { ...politie, role: 'teamleider' };
const om = partner('demo-om', 'om', 'officier');
const ggz = partner('demo-ggz', 'ggz', 'behandelaar');
const kmar = partner('demo-kmar', 'kmar', 'analist');
const dkdb = partner('demo-dkdb', 'dkdb', 'beveiligingscoordinator');
const aivd = partner('demo-aivd', 'aivd', 'analist');
const veiligheidshuis = partner('demo-veiligheidshuis', 'veiligheidshuis', 'procesregisseur');
const holder = (p) => ({ partner_id: p.partner_id, kind: p.kind });

const members = [politie, om, ggz, kmar, dkdb, aivd, veiligheidshuis].map((p) => ({
  partner_id: p.partner_id,
  role: p.role,
}));
const caseIn = (phase) => ({
  id: 'case-1',
  status: 'open',
  phase,
  subject_pseudonym: 'pseudo-1',
  lead_partner: 'demo-politie',
  emergency: false,
  members,
});

// Like Rego's object.union: objects merge recursively, anything else replaces.
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const merge = (a, b) => {
  if (!isObject(a) || !isObject(b)) return b;
  const r = { ...a };
  for (const [k, v] of Object.entries(b)) r[k] = k in a ? merge(a[k], v) : v;
  return r;
};

const base = {
  now_ms: now,
  request_id: 'req-1',
  requester: politie,
  holder: holder(politie),
  subject: { pseudonym: 'pseudo-1' },
  case: caseIn('informatie'),
  purpose: 'risicotaxatie',
  category: 'politie.registraties',
  justification: null,
  consents: [],
  review: null,
  dry_run: false,
};
const ask = (o) => merge(base, o);
const askGgz = (o) => merge(ask({ holder: holder(ggz), category: 'ggz.bekend' }), o);
const consent = (o = {}) =>
  merge(
    {
      id: 'consent-1',
      holder_partner_id: 'demo-ggz',
      recipients: ['politie'],
      purposes: ['risicotaxatie'],
      categories: ['ggz.bekend'],
      valid_from_ms: now - day,
      valid_until_ms: now + 30 * day,
      withdrawn: false,
    },
    o,
  );
const considerations = {
  toestemming: 'geweigerd',
  gewetensnood: true,
  subsidiariteit: true,
  schade: true,
  doelmatigheid: true,
  proportionaliteit: true,
  collega_geraadpleegd: false,
};
const review = (o = {}) =>
  merge(
    {
      request_id: 'req-1',
      reviewer_partner_id: 'demo-ggz',
      reviewer_role: 'behandelaar',
      decision: 'release',
      ground: 'conflict_van_plichten',
      fields: null,
      considerations,
      provision: null,
      reden_code: null,
    },
    o,
  );
const aivdReview = (o = {}) =>
  merge(
    review({
      reviewer_partner_id: 'demo-aivd',
      reviewer_role: 'analist',
      ground: 'ambtsbericht',
      considerations: null,
    }),
    o,
  );

const MEDICAL_GROUNDS = ['toestemming', 'conflict_van_plichten', 'wettelijk_voorschrift'];
const deny = (...codes) => ({ decision: 'deny', fields: [], legal_basis: null, reason_codes: codes });
const permit = (fields, legal_basis, code) => ({
  decision: 'permit',
  fields,
  legal_basis,
  reason_codes: [code, 'LEGAL_BASIS'],
});
const bgReview = {
  decision: 'review',
  fields: [],
  legal_basis: null,
  reason_codes: ['BG_REVIEW_BY_HOLDER'],
  urgent: false,
};

const scenarios = [];
// rule: the DOMAIN.md rule; twin_of: the permit (or review) scenario this one differs from by one fact.
const add = (name, rule, input, expect, twin_of) =>
  scenarios.push({ name, rule, ...(twin_of ? { twin_of } : {}), input, expect });

// Rule 1: need-to-know.
const registraties = ['aantal', 'laatsteDatum', 'soorten', 'samenvatting'];
add(
  'ntk: member in role, open case, purpose in phase, cell in matrix',
  'need_to_know',
  base,
  permit(registraties, 'wpg_15', 'PERMIT_NEED_TO_KNOW'),
);
const T = 'ntk: member in role, open case, purpose in phase, cell in matrix';
add(
  'ntk: not a member',
  'need_to_know',
  ask({ case: { members: [{ partner_id: 'demo-om', role: 'officier' }] } }),
  deny('NTK_NOT_MEMBER'),
  T,
);
add(
  'ntk: a non-member does not learn that the case is closed',
  'need_to_know',
  ask({
    case: { status: 'closed', phase: 'gesloten', members: [{ partner_id: 'demo-om', role: 'officier' }] },
  }),
  deny('NTK_NOT_MEMBER'),
  T,
);
add(
  'ntk: token role is not the membership role',
  'need_to_know',
  ask({ requester: { role: 'teamleider' } }),
  deny('NTK_ROLE_MISMATCH'),
  T,
);
add('ntk: closed case', 'need_to_know', ask({ case: { status: 'closed' } }), deny('NTK_CASE_CLOSED'), T);
add(
  'ntk: case in phase gesloten',
  'need_to_know',
  ask({ case: { phase: 'gesloten' } }),
  deny('NTK_CASE_CLOSED'),
  T,
);
add(
  'ntk: person is not the case subject',
  'need_to_know',
  ask({ subject: { pseudonym: 'pseudo-2' } }),
  deny('NTK_SUBJECT_MISMATCH'),
  T,
);
add(
  'ntk: purpose outside the phase',
  'need_to_know',
  ask({ purpose: 'monitoring' }),
  deny('NTK_PURPOSE_NOT_IN_PHASE'),
  T,
);
add('ntk: no case', 'need_to_know', ask({ case: null }), deny('NTK_NO_CASE'), T);
add(
  'ntk: unknown category',
  'need_to_know',
  ask({ category: 'politie.alles' }),
  deny('INPUT_UNKNOWN_CATEGORY'),
  T,
);
add(
  'ntk: category asked of the wrong kind of holder',
  'need_to_know',
  ask({ category: 'om.strafzaken' }),
  deny('INPUT_HOLDER_MISMATCH'),
  T,
);
const ggzApproach = ask({
  requester: ggz,
  purpose: 'persoonsgerichte_aanpak',
  case: { phase: 'aanpak' },
  category: 'politie.dreigingsmeldingen',
});
add(
  'ntk: ggz gets threat reports for the approach (wpg_20)',
  'need_to_know',
  ggzApproach,
  permit(
    ['meldingen[].datum', 'meldingen[].bedreigdeCategorie', 'meldingen[].samenvatting'],
    'wpg_20',
    'PERMIT_NEED_TO_KNOW',
  ),
);
add(
  'ntk: ggz does not get the firearms licence',
  'need_to_know',
  merge(ggzApproach, { category: 'politie.wapenvergunning' }),
  deny('NTK_NOT_IN_MATRIX'),
  'ntk: ggz gets threat reports for the approach (wpg_20)',
);
add(
  'ntk: om gets police data (wpg_16)',
  'need_to_know',
  ask({ requester: om }),
  permit(registraties, 'wpg_16', 'PERMIT_NEED_TO_KNOW'),
);
add(
  'ntk: om asks outside its phase purposes',
  'need_to_know',
  ask({ requester: om, purpose: 'monitoring', case: { phase: 'monitoring' } }),
  deny('NTK_NOT_IN_MATRIX'),
  'ntk: om gets police data (wpg_16)',
);
add(
  'ntk: politie gets om criminal cases (wjsg_39f)',
  'need_to_know',
  ask({ holder: holder(om), category: 'om.strafzaken' }),
  permit(['lopend[].feit', 'lopend[].fase', 'lopend[].parket'], 'wjsg_39f', 'PERMIT_NEED_TO_KNOW'),
);
add(
  'ntk: politie asks om criminal cases for protection',
  'need_to_know',
  ask({ holder: holder(om), category: 'om.strafzaken', purpose: 'beveiliging' }),
  deny('NTK_NOT_IN_MATRIX'),
  'ntk: politie gets om criminal cases (wjsg_39f)',
);

// Rules 2 and 3: beroepsgeheim and consent.
const B = 'bg: consent recorded by the holder permits all fields';
add(
  'bg: ggz.bekend without consent goes to review, never permit',
  'beroepsgeheim',
  askGgz({}),
  { ...bgReview, grounds: MEDICAL_GROUNDS },
  B,
);
add(B, 'beroepsgeheim', askGgz({ consents: [consent()] }), {
  ...permit(['inZorg', 'sinds', 'instelling'], 'bg_toestemming', 'PERMIT_CONSENT'),
  gdpr_basis: 'avg_9_2_g',
});
add(
  'bg: consent naming the recipient partner id permits',
  'consent',
  askGgz({ consents: [consent({ recipients: ['demo-politie'] })] }),
  permit(['inZorg', 'sinds', 'instelling'], 'bg_toestemming', 'PERMIT_CONSENT'),
);
add(
  'bg: consent naming another partner id does not permit',
  'consent',
  askGgz({ consents: [consent({ recipients: ['demo-politie-2'] })] }),
  bgReview,
  'bg: consent naming the recipient partner id permits',
);
add(
  'bg: om does not get ggz.bekend on a consent naming politie only',
  'consent',
  askGgz({ requester: om, consents: [consent()] }),
  bgReview,
  'bg: om gets ggz.bekend on a consent naming om',
);
add(
  'bg: withdrawn consent does not permit',
  'consent',
  askGgz({ consents: [consent({ withdrawn: true })] }),
  bgReview,
  B,
);
add(
  'bg: expired consent does not permit',
  'consent',
  askGgz({ consents: [consent({ valid_until_ms: now })] }),
  bgReview,
  B,
);
add(
  'bg: consent not yet valid does not permit',
  'consent',
  askGgz({ consents: [consent({ valid_from_ms: now + 1 })] }),
  bgReview,
  B,
);
add(
  'bg: consent for another purpose does not permit',
  'consent',
  askGgz({ consents: [consent({ purposes: ['monitoring'] })] }),
  bgReview,
  B,
);
add(
  'bg: consent for another category does not permit',
  'consent',
  askGgz({ consents: [consent({ categories: ['ggz.behandelaar'] })] }),
  bgReview,
  B,
);
add(
  'bg: consent for another recipient does not permit',
  'consent',
  askGgz({ consents: [consent({ recipients: ['om'] })] }),
  bgReview,
  B,
);
add(
  'bg: consent recorded by another partner is ignored',
  'consent',
  askGgz({ consents: [consent({ holder_partner_id: 'demo-ggz-2' })] }),
  bgReview,
  B,
);
add(
  'bg: consent does not bypass need-to-know',
  'beroepsgeheim',
  askGgz({ consents: [consent()], case: { members: [{ partner_id: 'demo-ggz', role: 'behandelaar' }] } }),
  deny('NTK_NOT_MEMBER'),
  B,
);
add(
  'bg: om gets ggz.bekend on a consent naming om',
  'beroepsgeheim',
  askGgz({ requester: om, consents: [consent({ recipients: ['om'] })] }),
  permit(['inZorg', 'sinds', 'instelling'], 'bg_toestemming', 'PERMIT_CONSENT'),
);
const rs = { category: 'ggz.risicosamenvatting' };
const rsConsent = consent({ categories: ['ggz.risicosamenvatting'] });
add(
  'bg: risk summary with consent goes to review with consent as its ground',
  'beroepsgeheim',
  askGgz({ ...rs, consents: [rsConsent] }),
  { ...bgReview },
);
const RS = 'bg: risk summary released on consent by the behandelaar';
add(
  RS,
  'beroepsgeheim',
  askGgz({ ...rs, consents: [rsConsent], review: review({ ground: 'toestemming', considerations: null }) }),
  permit(['samenvatting', 'opgesteldOp', 'opgesteldDoor'], 'bg_toestemming', 'PERMIT_CONSENT'),
);
add(
  'bg: risk summary release after the consent was withdrawn opens nothing',
  'consent',
  askGgz({
    ...rs,
    consents: [{ ...rsConsent, withdrawn: true }],
    review: review({ ground: 'toestemming', considerations: null }),
  }),
  bgReview,
  RS,
);
const CVP = 'bg: conflict of duties releases the minimal fields';
add(
  CVP,
  'beroepsgeheim',
  askGgz({ review: review() }),
  permit(['inZorg'], 'bg_conflict_van_plichten', 'PERMIT_CONFLICT_VAN_PLICHTEN'),
);
add(
  'bg: conflict of duties without proportionality opens nothing',
  'beroepsgeheim',
  askGgz({ review: review({ considerations: { proportionaliteit: false } }) }),
  bgReview,
  CVP,
);
add(
  'bg: conflict of duties without the reason consent was not the way opens nothing',
  'beroepsgeheim',
  askGgz({ review: review({ considerations: null }) }),
  bgReview,
  CVP,
);
add(
  'bg: a decision for another request opens nothing',
  'beroepsgeheim',
  askGgz({ review: review({ request_id: 'req-2' }) }),
  bgReview,
  CVP,
);
add(
  'bg: a decision by another partner opens nothing',
  'beroepsgeheim',
  askGgz({ review: review({ reviewer_partner_id: 'demo-ggz-2' }) }),
  bgReview,
  CVP,
);
add(
  'bg: conflict of duties releases the selected fields within the category',
  'minimisation',
  askGgz({ category: 'ggz.behandelaar', review: review({ fields: ['telefoon', 'naam', 'bsn'] }) }),
  permit(['naam', 'telefoon'], 'bg_conflict_van_plichten', 'PERMIT_CONFLICT_VAN_PLICHTEN'),
);
add(
  'bg: selected fields open nothing when a condition fails',
  'minimisation',
  askGgz({
    category: 'ggz.behandelaar',
    review: review({ fields: ['telefoon', 'naam', 'bsn'], considerations: { schade: false } }),
  }),
  bgReview,
  'bg: conflict of duties releases the selected fields within the category',
);
const WV = 'bg: statutory provision releases the minimal fields';
const wv = review({ ground: 'wettelijk_voorschrift', considerations: null, provision: 'Wvggz art. 8:29' });
add(
  WV,
  'beroepsgeheim',
  askGgz({ category: 'ggz.zorgmaatregel', review: wv }),
  permit(['soort', 'tot'], 'bg_wettelijk_voorschrift', 'PERMIT_WETTELIJK_VOORSCHRIFT'),
);
add(
  'bg: statutory provision without a provision opens nothing',
  'beroepsgeheim',
  askGgz({ category: 'ggz.zorgmaatregel', review: { ...wv, provision: '' } }),
  bgReview,
  WV,
);
add(
  'bg: refusal by the behandelaar denies',
  'beroepsgeheim',
  askGgz({ review: review({ decision: 'refuse', ground: null, reden_code: 'geen_grond' }) }),
  deny('REVIEW_REFUSED'),
  CVP,
);
add(
  'bg: dry run ignores consent and review and names the grounds',
  'beroepsgeheim',
  askGgz({ dry_run: true, consents: [consent()], review: review() }),
  {
    decision: 'review',
    fields: [],
    legal_basis: null,
    reason_codes: ['BG_REVIEW_BY_HOLDER', 'DRY_RUN'],
    grounds: MEDICAL_GROUNDS,
  },
  B,
);

// Rule 4: intelligence.
const signaal = ask({ holder: holder(aivd), category: 'aivd.signaal' });
const S = 'intel: aivd.signaal is answered to politie';
add(S, 'intelligence', signaal, {
  ...permit(['heeftInformatie', 'contact'], 'wiv_62', 'PERMIT_SIGNAAL'),
  confidential: true,
});
add(
  'intel: aivd.signaal is not answered to om',
  'intelligence',
  merge(signaal, { requester: om }),
  { ...deny('NTK_NOT_IN_MATRIX'), confidential: true },
  S,
);
add(
  'intel: aivd.signaal to ggz gets the generic matrix reason',
  'intelligence',
  merge(signaal, { requester: ggz }),
  deny('NTK_NOT_IN_MATRIX'),
  S,
);
const amb = ask({ requester: om, holder: holder(aivd), category: 'aivd.ambtsbericht' });
const A = 'intel: ambtsbericht released by the AIVD analist to om';
add('intel: ambtsbericht goes to the AIVD analist', 'intelligence', amb, {
  decision: 'review',
  fields: [],
  legal_basis: null,
  reason_codes: ['INTEL_REVIEW_REQUIRED'],
  grounds: ['ambtsbericht'],
  confidential: true,
  urgent: false,
});
add(A, 'intelligence', merge(amb, { review: aivdReview() }), {
  ...permit(['kenmerk', 'inhoud', 'datum'], 'wiv_66', 'PERMIT_AMBTSBERICHT'),
  confidential: true,
});
add(
  'intel: ambtsbericht released by another partner opens nothing',
  'intelligence',
  merge(amb, { review: aivdReview({ reviewer_partner_id: 'demo-politie' }) }),
  { decision: 'review', fields: [], reason_codes: ['INTEL_REVIEW_REQUIRED'] },
  A,
);
add(
  'intel: ambtsbericht refused by the analist',
  'intelligence',
  merge(amb, { review: aivdReview({ decision: 'refuse', ground: null }) }),
  deny('REVIEW_REFUSED'),
  A,
);
add(
  'intel: ambtsbericht to politie for risk assessment goes to review',
  'intelligence',
  merge(amb, { requester: politie }),
  { decision: 'review', fields: [], reason_codes: ['INTEL_REVIEW_REQUIRED'] },
);
add(
  'intel: ambtsbericht not for monitoring',
  'intelligence',
  merge(amb, { requester: politie, purpose: 'monitoring', case: { phase: 'monitoring' } }),
  deny('NTK_NOT_IN_MATRIX'),
  A,
);
add(
  'intel: ambtsbericht not to ggz, with the generic reason',
  'intelligence',
  merge(amb, { requester: ggz }),
  deny('NTK_NOT_IN_MATRIX'),
  A,
);
add(
  'intel: dry run of an ambtsbericht names its ground',
  'intelligence',
  merge(amb, { dry_run: true, review: aivdReview() }),
  {
    decision: 'review',
    fields: [],
    reason_codes: ['INTEL_REVIEW_REQUIRED', 'DRY_RUN'],
    grounds: ['ambtsbericht'],
  },
  A,
);
add('intel: aivd as requester is confidential (wpg_17)', 'intelligence', ask({ requester: aivd }), {
  ...permit(registraties, 'wpg_17', 'PERMIT_NEED_TO_KNOW'),
  confidential: true,
});
add(
  'intel: aivd does not get police data for the approach',
  'intelligence',
  ask({ requester: aivd, purpose: 'persoonsgerichte_aanpak', case: { phase: 'aanpak' } }),
  { ...deny('NTK_NOT_IN_MATRIX'), confidential: true },
  'intel: aivd as requester is confidential (wpg_17)',
);

// Rule 5: protective security.
const measures = ask({
  holder: holder(dkdb),
  category: 'dkdb.beveiligingsmaatregelen',
  purpose: 'beveiliging',
});
const PS = 'ps: politie gets security measures for protection';
add(PS, 'protective_security', measures, permit(['maatregelen', 'niveau'], 'wpg_15', 'PERMIT_NEED_TO_KNOW'));
add(
  'ps: kmar gets security measures for protection',
  'protective_security',
  merge(measures, { requester: kmar }),
  permit(['maatregelen', 'niveau'], 'wpg_15', 'PERMIT_NEED_TO_KNOW'),
);
add(
  'ps: kmar does not get security measures for risk assessment',
  'protective_security',
  merge(measures, { requester: kmar, purpose: 'risicotaxatie' }),
  deny('NTK_NOT_IN_MATRIX'),
  'ps: kmar gets security measures for protection',
);
add(
  'ps: security measures not for risk assessment',
  'protective_security',
  merge(measures, { purpose: 'risicotaxatie' }),
  deny('NTK_NOT_IN_MATRIX'),
  PS,
);
add(
  'ps: security measures not to om',
  'protective_security',
  merge(measures, { requester: om }),
  deny('NTK_NOT_IN_MATRIX'),
  PS,
);
add(
  'ps: security measures not to a veiligheidshuis',
  'protective_security',
  merge(measures, { requester: veiligheidshuis }),
  deny('NTK_NOT_IN_MATRIX'),
  PS,
);

// Rule 6: break-glass.
const emergency = ask({
  requester: teamleider,
  case: null,
  purpose: 'acuut_gevaar',
  category: 'politie.wapenvergunning',
  justification: 'Dreigt vanavond met een vuurwapen naar het Binnenhof te gaan.',
});
const G = 'break-glass: teamleider without a case gets the minimal fields';
add(G, 'break_glass', emergency, {
  ...permit(['heeftVergunning'], 'wpg_15', 'PERMIT_BREAK_GLASS'),
  obligations: ['privacy_officer_review_72h', 'emergency_case_takeover_72h'],
});
add(
  'break-glass: an analist may not',
  'break_glass',
  merge(emergency, { requester: politie }),
  deny('BREAK_GLASS_ROLE_NOT_ALLOWED'),
  G,
);
add(
  'break-glass: a blank justification is refused',
  'break_glass',
  merge(emergency, { justification: '  ' }),
  deny('BREAK_GLASS_NO_JUSTIFICATION'),
  G,
);
add(
  'break-glass: a category outside the list is refused',
  'break_glass',
  merge(emergency, { holder: holder(om), category: 'om.justitiele_documentatie' }),
  deny('BREAK_GLASS_CATEGORY_NOT_ALLOWED'),
  G,
);
const OC = 'break-glass: officier in a case without membership gets the minimal fields';
const officierCase = merge(emergency, {
  requester: om,
  holder: holder(om),
  category: 'om.strafzaken',
  case: { ...caseIn('aanpak'), members: [{ partner_id: 'demo-politie', role: 'analist' }] },
});
add(OC, 'break_glass', officierCase, {
  ...permit(['lopend[].feit'], 'wjsg_39f', 'PERMIT_BREAK_GLASS'),
  obligations: ['privacy_officer_review_72h'],
});
add(
  'break-glass: not in a closed case',
  'break_glass',
  merge(officierCase, { case: { phase: 'gesloten', status: 'closed' } }),
  deny('BREAK_GLASS_CASE_CLOSED'),
  OC,
);
const MG = 'break-glass: a medical category goes to an urgent review';
add(MG, 'break_glass', merge(emergency, { holder: holder(ggz), category: 'ggz.bekend' }), {
  decision: 'review',
  fields: [],
  legal_basis: null,
  reason_codes: ['BG_URGENT_REVIEW'],
  urgent: true,
  grounds: MEDICAL_GROUNDS,
});
add(
  'break-glass: a medical category for a parketsecretaris is refused',
  'break_glass',
  merge(emergency, {
    holder: holder(ggz),
    category: 'ggz.bekend',
    requester: { ...om, role: 'parketsecretaris' },
  }),
  deny('BREAK_GLASS_ROLE_NOT_ALLOWED'),
  MG,
);

// Dry run (AuthZEN evaluation) of a non-medical category.
const D = 'dry run: a non-medical permit names its legal basis as ground';
add(D, 'dry_run', ask({ dry_run: true }), {
  decision: 'permit',
  fields: registraties,
  legal_basis: 'wpg_15',
  reason_codes: ['PERMIT_NEED_TO_KNOW', 'LEGAL_BASIS', 'DRY_RUN'],
  grounds: ['wpg_15'],
});
add(
  'dry run: need-to-know still applies',
  'dry_run',
  ask({ dry_run: true, case: { members: [] } }),
  deny('NTK_NOT_MEMBER', 'DRY_RUN'),
  D,
);

// Formatted as the repository's Prettier formats it, so `prettier --check .` stays clean.
const options = (await prettier.resolveConfig(out)) ?? {};
const text = await prettier.format(JSON.stringify({ scenarios }), { ...options, filepath: out });
if (process.argv.includes('--check')) {
  if (readFileSync(out, 'utf8') !== text) {
    console.error('policies/scenarios.json is stale: run node policies/tools/scenarios.js');
    process.exit(1);
  }
} else {
  writeFileSync(out, text);
  console.log(`wrote ${scenarios.length} scenarios to ${out}`);
}
