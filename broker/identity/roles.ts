// The roles a partner system's user may act in, per partner kind, and the roles of people on the pages.
import type { PartnerKind } from '../store/schema.ts';

/** The token `role` values each partner kind may vouch for (DESIGN.md "Roles"). */
export const ROLES_BY_KIND: Readonly<Record<PartnerKind, readonly string[]>> = {
  politie: ['analist', 'casusregisseur', 'teamleider'],
  om: ['officier', 'parketsecretaris'],
  ggz: ['behandelaar', 'zorgcoordinator'],
  kmar: ['analist'],
  dkdb: ['beveiligingscoordinator'],
  aivd: ['analist'],
  veiligheidshuis: ['procesregisseur'],
};

export const PARTNER_KINDS = Object.keys(ROLES_BY_KIND) as readonly PartnerKind[];

/** Roles of people signing in to the pages. Reviewing roles belong to one kind of partner. */
export const PERSON_ROLES = ['privacy_officer', 'evaluator', 'auditor', 'behandelaar', 'analist'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

/** The partner kind a reviewing person role requires (behandelaar at GGZ, analist at the AIVD). */
export const REVIEWING_ROLE_KIND: Readonly<Partial<Record<PersonRole, PartnerKind>>> = {
  behandelaar: 'ggz',
  analist: 'aivd',
};

/** True when a partner of `kind` may vouch for a user acting in `role`. */
export function roleAllowed(kind: PartnerKind, role: string): boolean {
  return ROLES_BY_KIND[kind].includes(role);
}
