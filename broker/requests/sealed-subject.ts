// Seals the BSN (AES-256-GCM) while a request has pending reviews, so a released item can still be fetched.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Seals and opens one short secret with a 32-byte key. */
export interface SubjectSealer {
  seal(bsn: string): string;
  /** @throws Error when the box was tampered with or sealed under another key. */
  open(sealed: string): string;
}

/** @example const sealer = createSubjectSealer(randomBytes(32)); */
export function createSubjectSealer(key: Uint8Array): SubjectSealer {
  if (key.length !== 32) throw new Error('the subject sealing key must be 32 bytes');
  return {
    seal(bsn) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(bsn, 'utf8'), cipher.final()]);
      return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
    },
    open(sealed) {
      const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
      if (iv === undefined || tag === undefined || body === undefined)
        throw new Error('malformed sealed subject');
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    },
  };
}
