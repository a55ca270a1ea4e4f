// The fast hashing paths (one-shot SHA-256 over a scratch buffer, binary-string frontier, salted payload hashes) give the same bytes as the streaming API.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../broker/audit/canonical.ts';
import type { AuditRecord } from '../../broker/audit/contract.ts';
import { toEntryDocument, validateRecord } from '../../broker/audit/entry.ts';
import { chainHash, GENESIS_HASH } from '../../broker/audit/hashing.ts';
import { Frontier, leafDigest, leafHash, subtreeRoot } from '../../broker/audit/merkle.ts';
import { saltedPayloadHash } from '../../broker/audit/payload-hash.ts';
import { sampleRecord } from './support.ts';

const streamingChainHash = (prev: string, body: string) =>
  createHash('sha256').update(prev, 'hex').update(body, 'utf8').digest('hex');

describe('chain and leaf hashes', () => {
  it('computes the chain hash the streaming way for any previous hash and body', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.string({ unit: 'grapheme' }),
        (prev, body) => {
          const hex = Buffer.from(prev).toString('hex');
          expect(chainHash(hex, body)).toBe(streamingChainHash(hex, body));
        },
      ),
      { numRuns: 300 },
    );
    // Bodies longer than the scratch buffer, lone surrogates, and hex that stops early.
    for (const [prev, body] of [
      [GENESIS_HASH, 'x'.repeat(100_000)],
      [GENESIS_HASH, 'a\ud800b'],
      ['zz' + 'a'.repeat(62), '{}'],
      ['', ''],
    ] as const) {
      expect(chainHash(prev, body)).toBe(streamingChainHash(prev, body));
    }
  });

  it('refuses an odd number of hex digits as the streaming API does', () => {
    expect(() => chainHash('abc', '{}')).toThrow(TypeError);
  });

  it('gives the RFC 6962 leaf hash as a binary digest', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 3000 }), (body) => {
        expect(Buffer.from(leafDigest(body), 'latin1')).toEqual(leafHash(body));
      }),
      { numRuns: 300 },
    );
  });
});

describe('frontier', () => {
  it('gives the same roots whether leaves are pushed as bytes or as binary digests', () => {
    const leaves = Array.from({ length: 70 }, (_, i) => leafHash(`entry ${i}`));
    const bytes = new Frontier();
    const digests = new Frontier();
    leaves.forEach((leaf, i) => {
      bytes.push(leaf);
      digests.pushDigest(leafDigest(`entry ${i}`));
      expect(digests.root()).toEqual(subtreeRoot(leaves.slice(0, i + 1)));
      expect(bytes.toHex()).toEqual(digests.toHex());
    });
    const resumed = Frontier.fromHex(digests.size, digests.toHex());
    const copy = digests.clone();
    resumed.pushDigest(leafDigest('next'));
    copy.pushDigest(leafDigest('next'));
    digests.pushDigest(leafDigest('next'));
    expect(resumed.root()).toEqual(digests.root());
    expect(copy.root()).toEqual(digests.root());
  });

  it('hashes a stored frontier node of the wrong length as it is, so its root differs', () => {
    const good = Frontier.fromHex(3, ['aa'.repeat(32), 'bb'.repeat(32)]);
    const short = Frontier.fromHex(3, ['aa'.repeat(31), 'bb'.repeat(32)]);
    expect(short.root()).not.toEqual(good.root());
    expect(short.toHex()).toEqual(['aa'.repeat(31), 'bb'.repeat(32)]);
  });
});

describe('entry documents', () => {
  it('leaves properties set to undefined out of the canonical body', () => {
    // A caller outside TypeScript may set an optional property to undefined.
    const record = { ...sampleRecord(1), details: { a: undefined, b: 1 } } as Record<string, unknown>;
    record.confidential = undefined;
    const body = canonicalJson(toEntryDocument(record as unknown as AuditRecord, '2026-01-01T00:00:00.000Z'));
    expect(body).not.toContain('confidential');
    expect(body).toContain('"details":{"b":1}');
    expect(JSON.parse(body)).toMatchObject({ v: 1, time: '2026-01-01T00:00:00.000Z', type: 'disclosure' });
  });

  it('refuses parties that are not a list of partner ids', () => {
    for (const parties of [null, 'demo-ggz', 5, ['demo-ggz', 7], { a: 'demo-ggz' }]) {
      expect(() => validateRecord(sampleRecord(1, { parties } as never)), JSON.stringify(parties)).toThrow(
        /parties of an audit record are a list of partner ids/,
      );
    }
    expect(() => validateRecord(sampleRecord(1, { parties: ['demo-ggz', 'demo-aivd'] }))).not.toThrow();
  });

  it('names where in the record a BSN is, as a string or a number, and passes other nine-digit runs', () => {
    expect(() => validateRecord(sampleRecord(1, { details: { notes: ['ok', 'bsn 111222333'] } }))).toThrow(
      /^record\.details\.notes\[1\] holds a nine-digit number that passes the elfproef/,
    );
    expect(() => validateRecord(sampleRecord(1, { details: { n: 111222333 } }))).toThrow(
      /^record\.details\.n holds/,
    );
    expect(() =>
      validateRecord(sampleRecord(1, { details: { n: 123456789, id: 'x-111222333' } })),
    ).not.toThrow();
  });

  it('refuses a BSN used as a key, naming the key by its position and never by itself', () => {
    const keyed = sampleRecord(1, { details: { byPerson: { a: 1, '111222333': { seen: true } } } });
    let message = '';
    try {
      validateRecord(keyed);
    } catch (error) {
      message = (error as Error).message;
    }
    // Integer-like keys come first in JavaScript (and in canonical JSON's order): position 0.
    expect(message).toMatch(
      /^record\.details\.byPerson\.\{key 0\} holds a nine-digit number that passes the elfproef/,
    );
    expect(message).not.toContain('111222333');
    // A nine-digit key that fails the elfproef is no BSN.
    expect(() => validateRecord(sampleRecord(1, { details: { byCode: { '123456789': 1 } } }))).not.toThrow();
  });
});

describe('salted payload hashes', () => {
  it('hashes the nonce bytes and then the canonical payload, for any payload', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (payload) => {
        const salted = saltedPayloadHash(payload);
        const expected = createHash('sha256')
          .update(Buffer.from(salted.nonce, 'base64url'))
          .update(canonicalJson(payload), 'utf8')
          .digest('hex');
        expect(salted.hash).toBe(expected);
        expect(saltedPayloadHash(payload, salted.nonce)).toEqual(salted);
      }),
      { numRuns: 300 },
    );
  });

  it('draws a fresh 32-byte nonce for every hash, across refills of its pool', () => {
    const nonces = Array.from({ length: 1000 }, () => saltedPayloadHash({ a: 1 }).nonce);
    expect(new Set(nonces).size).toBe(1000);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64url')).toHaveLength(32);
  });
});
