// The Identity every route sees on c.var.identity: the partner, and the user or person acting.
import type { IdentifierType, PartnerKind } from '../store/schema.ts';

/** A registered partner as routes see it. */
export interface PartnerIdentity {
  readonly id: string;
  readonly kind: PartnerKind;
  readonly identifierType: IdentifierType;
  readonly identifier: string;
  /** OU; '' when the partner has none. */
  readonly unit: string;
  readonly organisation: string;
  /** The national team (politie) works nationally. */
  readonly national: boolean;
}

/** The certificate the caller presented. */
export interface CertificateIdentity {
  readonly serial: string;
  readonly issuer: string;
  /** RFC 8705 `x5t#S256` of the certificate. */
  readonly x5tS256: string;
  readonly notAfter: Date;
}

/**
 * Who is calling. `kind: 'system'` is a partner system (with `user` when it sent a valid user
 * token); `kind: 'person'` is a registered person signed in to the pages (then `partner` is the
 * person's partner).
 */
export interface Identity {
  readonly kind: 'system' | 'person';
  readonly partner: PartnerIdentity;
  readonly user?: { readonly id: string; readonly role: string };
  readonly person?: {
    readonly id: string;
    readonly name: string;
    readonly role: string;
    readonly partnerId: string;
  };
  readonly certificate: CertificateIdentity;
}
