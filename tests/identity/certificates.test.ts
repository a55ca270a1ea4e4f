// Reading certificates and CRLs: the UZI otherName, person versus system, and CRL expiry in the trust store.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrustStore } from '../../broker/identity/trust-store.ts';
import { certificateFacts } from '../../keys/certificate-facts.ts';
import { pkiPaths } from '../../keys/dev-pki.ts';
import { issuePartnerCertificate, issuePersonCertificate, issuedFiles } from '../../keys/issue.ts';
import { readCrl, revokeCertificate } from '../../keys/crl.ts';
import { appendLedger, readLedger } from '../../keys/ledger.ts';
import { crlFiles } from '../../keys/pki-files.ts';
import { createPki } from '../../keys/pki-setup.ts';
import { parseUziString } from '../../keys/uzi.ts';
import { scratchDir } from '../support/databases.ts';
import { vi } from 'vitest';

describe('certificates and CRLs', () => {
  const dir = scratchDir('certs');
  const cert = (name: string) => readFileSync(issuedFiles(path.join(dir, name)).cert, 'utf8');

  beforeAll(async () => {
    await createPki(dir);
    await issuePartnerCertificate(dir, {
      partnerId: 'ggz',
      ura: '90000123',
      organisation: 'GGZ',
      out: path.join(dir, 'ggz'),
    });
    await issuePersonCertificate(dir, {
      personId: 'p-1',
      name: 'P',
      partnerId: 'ggz',
      role: 'behandelaar',
      out: path.join(dir, 'p'),
    });
  });
  afterAll(() => vi.useRealTimers());

  it('parses the UZI otherName string into its fields, the abonneenummer being the URA', () => {
    expect(parseUziString('2.16.528.1.1003.1.3.5.5.2-1-12345678-S-90000123-00.000-12345678')).toMatchObject({
      cardType: 'S',
      ura: '90000123',
    });
    expect(parseUziString('not-a-uzi-string')).toBeUndefined();
  });

  it('reads the URA from the subjectAltName otherName of a UZI-style server certificate', () => {
    expect(certificateFacts(cert('ggz'))).toMatchObject({
      ura: '90000123',
      kind: 'system',
      clientAuth: true,
    });
  });

  it('tells a personal certificate by its policy and reads its id, role and partner', () => {
    expect(certificateFacts(cert('p'))).toMatchObject({
      kind: 'person',
      personId: 'p-1',
      role: 'behandelaar',
      unit: 'ggz',
    });
  });

  it('reports an expired CRL so readiness fails and callers are refused', () => {
    const files = crlFiles(dir);
    let now = new Date();
    const trust = createTrustStore({
      caFiles: [pkiPaths(dir).caBundle],
      crlFiles: [files.root, files.issuing],
      now: () => now,
    });
    expect(trust.status()).toEqual({ ok: true, problems: [] });
    now = new Date(Date.now() + 8 * 24 * 60 * 60 * 1000);
    expect(trust.status().ok).toBe(false);
    expect(trust.status().problems[0]).toMatch(/expired/);
  });

  it('reports a CA without a CRL once CRLs are in use', () => {
    const trust = createTrustStore({ caFiles: [pkiPaths(dir).caBundle], crlFiles: [crlFiles(dir).issuing] });
    expect(trust.status().problems).toEqual([expect.stringMatching(/^no CRL for CN=schakel dev Root CA/)]);
  });

  it('revokes a certificate whose serial x509 prints with a leading zero, given with or without it', async () => {
    // x509 prints a serial whose first byte is below 0x10 as "0f…"; operators and CRLs may drop the zero.
    const printed = '0f11606a7681d29848d7e1583d77a6fc';
    appendLedger(dir, {
      event: 'issued',
      at: new Date().toISOString(),
      serial: printed,
      ca: 'issuing',
      kind: 'system',
      subject: 'CN=zero',
      notAfter: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(readLedger(dir).some((e) => e.serial === printed.slice(1))).toBe(true);
    const revocation = await revokeCertificate(dir, printed.slice(1));
    expect(revocation.alreadyRevoked).toBe(false);
    expect((await revokeCertificate(dir, printed)).alreadyRevoked).toBe(true);
    expect(readCrl(readFileSync(crlFiles(dir).issuing, 'utf8')).revoked).toContain(printed.slice(1));
  });
});
