// Signs review notices as compact JWS with the broker's receipt key, verifiable with /.well-known/jwks.json.
import { CompactSign } from 'jose';

/** The JWS `typ` of a review notice. */
export const REVIEW_NOTICE_TYP = 'schakel-review-notice+jwt';

/** Signs a notice's claims. */
export type NoticeSigner = (claims: Readonly<Record<string, unknown>>) => Promise<string>;

/**
 * A signer over the active key of the disclosure log's keyring (ES256): holders verify notices with
 * the JWKS they already use for receipts, so no shared secret has to be handed out.
 *
 * @example const sign = createNoticeSigner(audit.keyring);
 */
export function createNoticeSigner(keyring: {
  readonly activeKid: string;
  readonly signingKey: CryptoKey;
}): NoticeSigner {
  return (claims) =>
    new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'ES256', kid: keyring.activeKid, typ: REVIEW_NOTICE_TYP })
      .sign(keyring.signingKey);
}
