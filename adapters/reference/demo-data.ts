// SIMULATOR data: fictitious records for the demo person (BSN 111222333, a valid test number), per category.
import type { ReferenceData } from './reference-source.ts';

export const DEMO_BSN = '111222333';

export const DEMO_DATA: ReferenceData = {
  [DEMO_BSN]: {
    'ggz.bekend': { inZorg: true, sinds: '2025-03-14', instelling: 'GGZ Demo' },
    'ggz.behandelaar': {
      naam: 'Dr. A. Voorbeeld',
      functie: 'psychiater',
      telefoon: '030-0000000',
      instelling: 'GGZ Demo',
    },
    'ggz.risicosamenvatting': {
      samenvatting: 'Fictieve samenvatting.',
      opgesteldOp: '2026-10-01',
      opgesteldDoor: 'behandelaar',
    },
    'ggz.zorgmaatregel': { soort: 'zorgmachtiging', van: '2026-06-01', tot: '2026-12-01' },
    'politie.registraties': {
      aantal: 3,
      laatsteDatum: '2026-09-30',
      soorten: ['bedreiging'],
      samenvatting: 'Fictief.',
    },
    'politie.dreigingsmeldingen': {
      meldingen: [
        { datum: '2026-09-30', bedreigdeCategorie: 'minister_president', samenvatting: 'Fictief.' },
      ],
    },
    'politie.wapenvergunning': { heeftVergunning: false },
    'om.strafzaken': { lopend: [{ feit: 'bedreiging', fase: 'vervolging', parket: 'Midden-Nederland' }] },
    'om.justitiele_documentatie': {
      aantalVeroordelingen: 1,
      veroordelingen: [{ feit: 'bedreiging', jaar: 2023, straf: 'taakstraf' }],
    },
    'kmar.grensbewegingen': {
      laatsteBeweging: '2026-08-02',
      bewegingen: [{ datum: '2026-08-02', post: 'Schiphol', richting: 'uit' }],
    },
    'dkdb.naderingen': {
      naderingen: [{ datum: '2026-10-11', categorie: 'fysiek', samenvatting: 'Fictief.' }],
    },
    'dkdb.beveiligingsmaatregelen': { maatregelen: ['extra surveillance'], niveau: 'verhoogd' },
    'aivd.signaal': { heeftInformatie: false },
  },
};
