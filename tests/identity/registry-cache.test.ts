// The registry as the request path reads it: reads reused for a short time, changes through it seen at once, others' within the TTL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIdentityAudit } from '../../broker/identity/identity-audit.ts';
import { cacheRegistry, type CachedRegistry } from '../../broker/identity/registry-cache.ts';
import { createRegistry, type Registry } from '../../broker/identity/registry.ts';
import type { Store } from '../../broker/store/database.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';
import { memoryAppender, silentLogger } from './support.ts';

const OIN = '00000001800000001000';
const TTL = 2_000;

describe.each(BACKENDS)('cached registry on %s', (backend) => {
  let store: Store;
  /** The registry as another process (a CLI command) sees the same database. */
  let other: Registry;
  let cached: CachedRegistry;
  let clock: number;
  let queries: number;
  let failNext: boolean;

  beforeEach(async () => {
    store = await openTestStore(backend);
    const audit = createIdentityAudit(memoryAppender(), silentLogger);
    other = createRegistry(store.db, audit);
    const inner = createRegistry(store.db, audit);
    queries = 0;
    failNext = false;
    const counted: Registry = {
      ...inner,
      listPartners: () => {
        queries++;
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('connection lost'));
        }
        return inner.listPartners();
      },
      getPerson: (id) => {
        queries++;
        return inner.getPerson(id);
      },
    };
    clock = 1_000_000;
    cached = cacheRegistry(counted, { ttlMs: TTL, now: () => clock });
    await other.addPartner({ id: 'om', kind: 'om', identifierType: 'oin', identifier: OIN });
  });
  afterEach(async () => {
    await store.close();
  });

  it('answers repeated lookups from one read of the partners', async () => {
    expect((await cached.findPartner('oin', OIN, ''))?.id).toBe('om');
    expect((await cached.getPartner('om'))?.kind).toBe('om');
    expect((await cached.partnersOfKinds(['om'])).map((p) => p.id)).toEqual(['om']);
    expect(await cached.partnersOfKinds(['ggz'])).toEqual([]);
    expect(queries).toBe(1);
  });

  it("shows another process's change only after the TTL, and a change made through it at once", async () => {
    expect(await cached.getPartner('ggz')).toBeUndefined();
    await other.addPartner({ id: 'ggz', kind: 'ggz', identifierType: 'ura', identifier: '90000001' });
    expect(await cached.getPartner('ggz')).toBeUndefined();
    clock += TTL;
    expect((await cached.getPartner('ggz'))?.kind).toBe('ggz');

    const jwks = { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k2' }] };
    await cached.updatePartner('ggz', { jwks });
    expect((await cached.findPartner('ura', '90000001', ''))?.jwks).toEqual(jwks);
    await cached.addPartner({
      id: 'kmar',
      kind: 'kmar',
      identifierType: 'oin',
      identifier: '00000001800000002000',
    });
    expect((await cached.partnersOfKinds(['kmar', 'om'])).map((p) => p.id)).toEqual(['kmar', 'om']);
  });

  it('drops what it read when a change through it fails, and does not keep a failed read', async () => {
    await cached.getPartner('om');
    await other.addPartner({ id: 'ggz', kind: 'ggz', identifierType: 'ura', identifier: '90000001' });
    await expect(
      cached.addPartner({ id: 'om', kind: 'om', identifierType: 'oin', identifier: OIN }),
    ).rejects.toMatchObject({ code: 'ERR_CONFLICT' });
    expect((await cached.getPartner('ggz'))?.kind).toBe('ggz');

    cached.invalidate();
    failNext = true;
    await expect(cached.getPartner('om')).rejects.toThrow('connection lost');
    expect((await cached.getPartner('om'))?.id).toBe('om');
  });

  it('reads each person once per TTL and sees a person added through it at once', async () => {
    expect(await cached.getPerson('po-1')).toBeUndefined();
    await cached.addPerson({ id: 'po-1', name: 'Pia', partnerId: 'om', role: 'privacy_officer' });
    expect((await cached.getPerson('po-1'))?.role).toBe('privacy_officer');
    const before = queries;
    await cached.getPerson('po-1');
    expect(queries).toBe(before);
    clock += TTL;
    await cached.getPerson('po-1');
    expect(queries).toBe(before + 1);
  });
});
