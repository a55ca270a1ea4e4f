// HTTP reading of the log through app.request: checkpoint, proofs, visibility rules 4 and 7, receipts, JWKS.
import { compactVerify, createLocalJWKSet } from 'jose';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyInclusion } from '../../broker/audit/merkle.ts';
import { saltedPayloadHash } from '../../broker/audit/payload-hash.ts';
import { createAuditQueries } from '../../broker/audit/reader.ts';
import { commitDisclosures } from '../../broker/audit/release.ts';
import { createReceiptService } from '../../broker/audit/receipts.ts';
import { auditRoutes } from '../../broker/audit/routes.ts';
import type { AuditReader } from '../../broker/audit/visibility.ts';
import { createApp } from '../../broker/http/app.ts';
import { createHttpMetrics } from '../../broker/http/metrics.ts';
import { BACKENDS } from '../support/databases.ts';
import { openAuditFixture, sampleRecord, type AuditFixture } from './support.ts';

describe.each(BACKENDS)('audit routes on %s', (backend) => {
  let f: AuditFixture;
  let reader: AuditReader | undefined;
  let app: ReturnType<typeof createApp>;
  beforeEach(async () => {
    f = await openAuditFixture(backend);
    const receipts = createReceiptService({ db: f.store.db, keyring: f.keyring });
    app = createApp({
      logger: pino({ level: 'silent' }),
      metrics: createHttpMetrics(),
      maxBodyBytes: 1 << 20,
      routes: [
        auditRoutes({
          queries: createAuditQueries(f.store.db),
          receipts,
          jwks: () => f.keyring.jwks,
          getReader: () => reader,
        }),
      ],
    });
    await f.log.append(sampleRecord(1));
    await f.log.append(
      sampleRecord(2, {
        actor: { partnerId: 'demo-om' },
        holder: 'demo-politie',
        category: 'politie.registraties',
        withheldFields: ['samenvatting'],
      }),
    );
    await f.log.append(
      sampleRecord(3, {
        actor: { partnerId: 'demo-politie' },
        holder: 'demo-aivd',
        category: 'aivd.signaal',
        confidential: true,
        parties: ['demo-ggz'],
      }),
    );
  });
  afterEach(async () => {
    await f.close();
  });

  const get = async (path: string) => {
    const res = await app.request(path);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('lets the auditor read every entry with withheld field names', async () => {
    reader = { role: 'auditor' };
    const { status, body } = await get('/v1/audit/entries');
    expect(status).toBe(200);
    const entries = body.entries as { seq: number; entry: { withheldFields?: string[] } }[];
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[1]!.entry.withheldFields).toEqual(['samenvatting']);
  });

  it('shows a partner only its entries, never confidential processing it is not requester or holder of', async () => {
    reader = { role: 'partner', partnerId: 'demo-ggz' };
    const ggz = (await get('/v1/audit/entries')).body.entries as {
      seq: number;
      entry: Record<string, unknown>;
    }[];
    expect(ggz.map((e) => e.seq)).toEqual([1]);
    expect(ggz[0]!.entry.withheldFields).toEqual(['sinds']);
    reader = { role: 'partner', partnerId: 'demo-om' };
    const om = (await get('/v1/audit/entries')).body.entries as {
      seq: number;
      entry: Record<string, unknown>;
      redacted?: string[];
    }[];
    expect(om.map((e) => e.seq)).toEqual([2]);
    expect(om[0]!.entry.withheldFields).toBeUndefined();
    expect(om[0]!.redacted).toEqual(['withheldFields']);
    reader = { role: 'partner', partnerId: 'demo-aivd' };
    expect(((await get('/v1/audit/entries')).body.entries as { seq: number }[]).map((e) => e.seq)).toEqual([
      3,
    ]);
  });

  it('refuses readers the identity layer does not recognise and bad filters', async () => {
    reader = undefined;
    expect(await get('/v1/audit/entries')).toMatchObject({
      status: 403,
      body: { code: 'ERR_AUDIT_ACCESS_DENIED' },
    });
    reader = { role: 'auditor' };
    expect(await get('/v1/audit/entries?limit=0')).toMatchObject({
      status: 422,
      body: { errors: [{ field: 'limit' }] },
    });
  });

  it('pages with a cursor', async () => {
    reader = { role: 'auditor' };
    const first = (await get('/v1/audit/entries?limit=2')).body;
    expect(first.next).toBe(2);
    const second = (await get('/v1/audit/entries?limit=2&after=2')).body;
    expect((second.entries as { seq: number }[]).map((e) => e.seq)).toEqual([3]);
  });

  it('publishes a signed checkpoint and inclusion proofs that verify against it', async () => {
    reader = { role: 'partner', partnerId: 'demo-politie' };
    const checkpoint = (await get('/v1/audit/checkpoint')).body as {
      treeSize: number;
      rootHash: string;
      jws: string;
    };
    expect(checkpoint.treeSize).toBe(3);
    const jwks = (await get('/.well-known/jwks.json')).body as { keys: [] };
    const { payload } = await compactVerify(checkpoint.jws, createLocalJWKSet(jwks));
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({
      treeSize: 3,
      rootHash: checkpoint.rootHash,
    });
    const proof = (await get('/v1/audit/proof/2')).body as {
      leafHash: string;
      auditPath: string[];
      treeSize: number;
    };
    const ok = verifyInclusion(
      1,
      proof.treeSize,
      Buffer.from(proof.leafHash, 'hex'),
      proof.auditPath.map((p) => Buffer.from(p, 'hex')),
      Buffer.from(checkpoint.rootHash, 'hex'),
    );
    expect(ok).toBe(true);
    expect((await get('/v1/audit/proof/9')).status).toBe(404);
  });

  it('commits disclosures before release and returns a receipt only the requester can fetch again', async () => {
    const receipts = createReceiptService({ db: f.store.db, keyring: f.keyring });
    const payload = { inZorg: true };
    const { entries, receipt } = await commitDisclosures(
      { log: f.log, receipts },
      {
        requestId: 'req-1',
        requester: 'demo-politie',
        policyRevision: 'rev-1',
        conditions: { onwardSharing: 'within_case' },
        items: [{ record: sampleRecord(9), payload }],
      },
    );
    const { payload: signed } = await compactVerify(
      receipt.jws,
      createLocalJWKSet({ keys: [...f.keyring.jwks.keys] }),
    );
    const claims = JSON.parse(new TextDecoder().decode(signed)) as {
      items: { seq: number; nonce: string; payloadHash: string }[];
      checkpoint: { treeSize: number };
    };
    expect(claims.items[0]!.seq).toBe(entries[0]!.seq);
    expect(claims.checkpoint.treeSize).toBeGreaterThanOrEqual(entries[0]!.seq);
    // The requester can recompute the salted hash of what it received; the log holds only the hash.
    expect(saltedPayloadHash(payload, claims.items[0]!.nonce).hash).toBe(claims.items[0]!.payloadHash);
    reader = { role: 'partner', partnerId: 'demo-politie' };
    expect(await get(`/v1/receipts/${receipt.id}`)).toMatchObject({
      status: 200,
      body: { receipt: receipt.jws },
    });
    reader = { role: 'partner', partnerId: 'demo-om' };
    expect((await get(`/v1/receipts/${receipt.id}`)).status).toBe(404);
  });

  it('answers 503 ERR_AUDIT_UNAVAILABLE and releases nothing when the log cannot be written', async () => {
    await f.store.close();
    const receipts = createReceiptService({ db: f.store.db, keyring: f.keyring });
    let released = false;
    await expect(
      commitDisclosures(
        { log: f.log, receipts },
        {
          requestId: 'r',
          requester: 'demo-politie',
          conditions: { onwardSharing: 'forbidden' },
          items: [{ record: sampleRecord(1), payload: {} }],
        },
      ).then(() => (released = true)),
    ).rejects.toMatchObject({ code: 'ERR_AUDIT_UNAVAILABLE', status: 503 });
    expect(released).toBe(false);
    f = { ...f, close: () => f.log.close() };
  });
});
