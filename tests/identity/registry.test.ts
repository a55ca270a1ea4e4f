// The partner and people registry on each database backend, with its audit events.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditAppender } from '../../broker/audit/contract.ts';
import { createIdentityAudit } from '../../broker/identity/identity-audit.ts';
import { createRegistry, type Registry } from '../../broker/identity/registry.ts';
import type { Store } from '../../broker/store/database.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';
import { memoryAppender, silentLogger } from './support.ts';

const OIN = '00000001800000001000';

describe.each(BACKENDS)('registry on %s', (backend) => {
  let store: Store;
  let registry: Registry;
  let appender: ReturnType<typeof memoryAppender>;

  beforeEach(async () => {
    store = await openTestStore(backend);
    appender = memoryAppender();
    registry = createRegistry(store.db, createIdentityAudit(appender, silentLogger));
  });
  afterEach(async () => {
    await store.close();
  });

  it('keys partners by identifier and unit, so the national team and DKDB share the politie OIN', async () => {
    await registry.addPartner({
      id: 'ltdm',
      kind: 'politie',
      identifierType: 'oin',
      identifier: OIN,
      unit: 'LTDM',
      national: true,
    });
    await registry.addPartner({
      id: 'dkdb',
      kind: 'dkdb',
      identifierType: 'oin',
      identifier: OIN,
      unit: 'DKDB',
    });
    expect((await registry.findPartner('oin', OIN, 'DKDB'))?.id).toBe('dkdb');
    expect((await registry.findPartner('oin', OIN, 'LTDM'))?.national).toBe(true);
    expect(await registry.findPartner('oin', OIN, '')).toBeUndefined();
    expect(appender.records.map((r) => r.type)).toEqual(['partner.added', 'partner.added']);
  });

  it('refuses a second partner with the same identifier and unit with ERR_CONFLICT', async () => {
    await registry.addPartner({ id: 'om', kind: 'om', identifierType: 'oin', identifier: OIN });
    await expect(
      registry.addPartner({ id: 'om-2', kind: 'om', identifierType: 'oin', identifier: OIN }),
    ).rejects.toMatchObject({
      code: 'ERR_CONFLICT',
    });
  });

  it('refuses a malformed OIN with ERR_VALIDATION naming the field', async () => {
    await expect(
      registry.addPartner({ id: 'om', kind: 'om', identifierType: 'oin', identifier: '123' }),
    ).rejects.toMatchObject({
      code: 'ERR_VALIDATION',
      errors: [{ field: 'oin' }],
    });
  });

  it('stores the token JWKS and records changes with before and after', async () => {
    await registry.addPartner({ id: 'ggz', kind: 'ggz', identifierType: 'ura', identifier: '90000001' });
    const jwks = { keys: [{ kty: 'EC', kid: 'k1', crv: 'P-256', x: 'a', y: 'b' }] };
    await registry.updatePartner('ggz', { jwks });
    expect((await registry.getPartner('ggz'))?.jwks).toEqual(jwks);
    expect(appender.records.at(-1)).toMatchObject({
      type: 'partner.changed',
      details: { partnerId: 'ggz', after: { tokenKeys: ['k1'] } },
    });
  });

  it('refuses a token JWKS that is not a set of public signing keys with ERR_VALIDATION', async () => {
    await registry.addPartner({ id: 'ggz', kind: 'ggz', identifierType: 'ura', identifier: '90000001' });
    const ec = { kty: 'EC', crv: 'P-256', x: 'a', y: 'b' };
    const bad: [unknown, string][] = [
      [{ keys: [null] }, 'keys[0] is not a JSON object'],
      [{ keys: ['k'] }, 'keys[0] is not a JSON object'],
      [{ keys: {} }, 'must be a JWKS ({"keys":[...]})'],
      [
        { keys: [{ ...ec, d: 'secret' }] },
        'keys[0] holds private key material: register the public key only',
      ],
      [
        { keys: [ec, { kty: 'RSA', n: 'a', e: 'AQAB' }] },
        'keys[1] must be an EC (P-256) or OKP (Ed25519) public key',
      ],
      [
        { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] },
        'keys[0] holds private key material: register the public key only',
      ],
      [{ keys: [{ ...ec, crv: 'P-384' }] }, 'keys[0] must be a P-256 key with x and y'],
      [{ keys: [{ ...ec, alg: 'HS256' }] }, 'keys[0] an EC key signs with ES256'],
    ];
    for (const [jwks, message] of bad) {
      await expect(
        registry.updatePartner('ggz', { jwks: jwks as { keys: Record<string, unknown>[] } }),
      ).rejects.toMatchObject({ code: 'ERR_VALIDATION', errors: [{ field: 'jwks', message }] });
      await expect(
        registry.addPartner({
          id: 'ggz-2',
          kind: 'ggz',
          identifierType: 'ura',
          identifier: '90000002',
          jwks: jwks as { keys: Record<string, unknown>[] },
        }),
      ).rejects.toMatchObject({ code: 'ERR_VALIDATION', errors: [{ field: 'jwks', message }] });
    }
    expect((await registry.getPartner('ggz'))?.jwks).toBeUndefined();
    expect(await registry.getPartner('ggz-2')).toBeUndefined();
    await registry.updatePartner('ggz', { jwks: { keys: [ec, { kty: 'OKP', crv: 'Ed25519', x: 'c' }] } });
  });

  it('registers people with a role that fits their partner', async () => {
    await registry.addPartner({ id: 'ggz', kind: 'ggz', identifierType: 'ura', identifier: '90000001' });
    await registry.addPerson({ id: 'b-1', name: 'B', partnerId: 'ggz', role: 'behandelaar' });
    await expect(
      registry.addPerson({ id: 'a-1', name: 'A', partnerId: 'ggz', role: 'analist' }),
    ).rejects.toMatchObject({
      code: 'ERR_VALIDATION',
    });
    await expect(
      registry.addPerson({ id: 'c-1', name: 'C', partnerId: 'nope', role: 'auditor' }),
    ).rejects.toMatchObject({
      code: 'ERR_NOT_FOUND',
    });
    expect(await registry.listPeople()).toEqual([
      { id: 'b-1', name: 'B', partnerId: 'ggz', role: 'behandelaar' },
    ]);
  });

  it('undoes a registration the audit log refuses', async () => {
    const failing: AuditAppender = {
      append: () => Promise.reject(Object.assign(new Error('down'), { code: 'ERR_AUDIT_UNAVAILABLE' })),
    };
    const strict = createRegistry(store.db, createIdentityAudit(failing, silentLogger));
    await expect(
      strict.addPartner({ id: 'om', kind: 'om', identifierType: 'oin', identifier: OIN }),
    ).rejects.toThrow('down');
    expect(await strict.listPartners()).toEqual([]);
  });
});
