// The verified caller a case or consent operation acts for: a partner system and the user it vouches for.
import type { PartnerKind } from '../store/schema.ts';

/** A partner system's user, as identity verified it (certificate → partner, token → user and role). */
export interface Caller {
  readonly partner: { readonly id: string; readonly kind: PartnerKind };
  readonly user: { readonly id: string; readonly role: string };
}
