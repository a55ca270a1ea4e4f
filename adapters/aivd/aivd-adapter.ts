// AIVD: signal metadata and unclassified ambtsberichten, mapped to aivd.signaal and aivd.ambtsbericht.
import { z } from 'zod';
import type { Adapter } from '../contract.ts';
import { createMappedAdapter, mapping, type PartnerAdapterOptions, type PartnerMappings } from '../native.ts';

const date = z.iso.date();
const rubricering = z.enum([
  'ongerubriceerd',
  'departementaal_vertrouwelijk',
  'stg_confidentieel',
  'stg_geheim',
  'stg_zeer_geheim',
]);

/**
 * Native document `aivd-signalen`: metadata of the signals the AIVD registered about the person
 * (never their content) and whom a partner may call about them.
 */
export const aivdSignalen = z.object({
  signalen: z
    .array(
      z.object({
        kenmerk: z.string().min(1).max(64),
        datum: date,
        rubricering,
        contactpunt: z.object({ afdeling: z.string().min(1).max(100), telefoon: z.string().min(1).max(40) }),
      }),
    )
    .max(1_000),
});

/** Native document `aivd-ambtsberichten`: official reports (Wiv 2017 art. 66) about the person. */
export const aivdAmbtsberichten = z.object({
  ambtsberichten: z
    .array(
      z.object({
        kenmerk: z.string().min(1).max(64),
        datum: date,
        onderwerp: z.string().max(500),
        tekst: z.string().max(100_000),
        rubricering,
      }),
    )
    .max(1_000),
});

/** The AIVD categories. */
export const AIVD_MAPPINGS: PartnerMappings = {
  'aivd.signaal': mapping('aivd-signalen', aivdSignalen, (native) => {
    const latest = [...native.signalen].sort((a, b) => b.datum.localeCompare(a.datum))[0];
    // Only the fact and a contact point leave: the signal's kenmerk and classification stay at the AIVD.
    return latest === undefined
      ? { heeftInformatie: false }
      : { heeftInformatie: true, contact: `${latest.contactpunt.afdeling}, ${latest.contactpunt.telefoon}` };
  }),
  'aivd.ambtsbericht': mapping('aivd-ambtsberichten', aivdAmbtsberichten, (native) => {
    // An ambtsbericht is by definition unclassified; a classified text in the export is never mapped (fail closed).
    const latest = native.ambtsberichten
      .filter((a) => a.rubricering === 'ongerubriceerd')
      .sort((a, b) => b.datum.localeCompare(a.datum))[0];
    return latest === undefined
      ? undefined
      : { kenmerk: latest.kenmerk, inhoud: latest.tekst, datum: latest.datum };
  }),
};

/**
 * The AIVD's adapter (the transport is injected). Whether anything leaves is for the policy and
 * the AIVD analist's review to decide, not for this adapter.
 *
 * @example createAivdAdapter({ transport })
 */
export function createAivdAdapter(options: PartnerAdapterOptions): Adapter {
  return createMappedAdapter(AIVD_MAPPINGS, options);
}
