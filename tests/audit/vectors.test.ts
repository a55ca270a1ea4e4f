// Third-party vectors: RFC 6962 / CT Merkle hashes and proofs, RFC 8785 canonical JSON.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../broker/audit/canonical.ts';
import {
  Frontier,
  inclusionProof,
  leafHash,
  subtreeRoot,
  verifyInclusion,
} from '../../broker/audit/merkle.ts';

const merkle = JSON.parse(
  readFileSync(new URL('../fixtures/rfc6962-merkle-vectors.json', import.meta.url), 'utf8'),
) as {
  leaves: string[];
  rootsBySize: string[];
  leafHashes: string[];
  compactTrees: string[][];
  inclusionProofs: { leaf: number; size: number; proof: string[] }[];
};
const jcs = JSON.parse(
  readFileSync(new URL('../fixtures/rfc8785-vectors.json', import.meta.url), 'utf8'),
) as {
  documents: { name: string; input: string; output: string }[];
  numbers: [string, string][];
  invalidNumbers: string[];
};

const hex = (h: string) => Buffer.from(h, 'hex');
const leafHashes = merkle.leaves.map((l) => leafHash(hex(l)));

describe('RFC 6962 Merkle tree (Certificate Transparency vectors)', () => {
  it('hashes every leaf as the vectors do', () => {
    expect(leafHashes.map((h) => h.toString('hex'))).toEqual(merkle.leafHashes);
  });

  it('computes the root of every tree size, recursively and through the frontier', () => {
    const frontier = new Frontier();
    expect(frontier.root().toString('hex')).toBe(merkle.rootsBySize[0]);
    for (let size = 1; size <= leafHashes.length; size++) {
      expect(subtreeRoot(leafHashes.slice(0, size)).toString('hex')).toBe(merkle.rootsBySize[size]);
      frontier.push(leafHashes[size - 1]!);
      expect(frontier.root().toString('hex')).toBe(merkle.rootsBySize[size]);
      expect(frontier.toHex()).toEqual(merkle.compactTrees[size]);
    }
  });

  it('resumes from a stored frontier', () => {
    const resumed = Frontier.fromHex(5, merkle.compactTrees[5]!);
    for (const leaf of leafHashes.slice(5)) resumed.push(leaf);
    expect(resumed.root().toString('hex')).toBe(merkle.rootsBySize[8]);
  });

  it.each(merkle.inclusionProofs)(
    'produces and verifies the inclusion proof of leaf $leaf in size $size',
    (v) => {
      const proof = inclusionProof(leafHashes.slice(0, v.size), v.leaf - 1);
      expect(proof.map((p) => p.toString('hex'))).toEqual(v.proof);
      const root = hex(merkle.rootsBySize[v.size]!);
      expect(verifyInclusion(v.leaf - 1, v.size, leafHashes[v.leaf - 1]!, proof, root)).toBe(true);
      expect(verifyInclusion(v.leaf - 1, v.size * 2, leafHashes[v.leaf - 1]!, proof, root)).toBe(false);
      expect(verifyInclusion(v.leaf - 1, v.size, leafHash(Buffer.from('wrong')), proof, root)).toBe(false);
      if (proof.length > 0) {
        const flipped = proof.map((p) => Buffer.from(p));
        flipped[0]![0]! ^= 8;
        expect(verifyInclusion(v.leaf - 1, v.size, leafHashes[v.leaf - 1]!, flipped, root)).toBe(false);
        expect(verifyInclusion(v.leaf - 1, v.size, leafHashes[v.leaf - 1]!, proof.slice(1), root)).toBe(
          false,
        );
      }
    },
  );
});

describe('RFC 8785 canonical JSON', () => {
  it.each(jcs.documents)('canonicalises the $name example', ({ input, output }) => {
    expect(canonicalJson(JSON.parse(input))).toBe(output);
  });

  it.each(jcs.numbers)('serialises the IEEE-754 value %s as %s', (bits, expected) => {
    const value = Buffer.from(bits, 'hex').readDoubleBE(0);
    expect(canonicalJson(value)).toBe(expected);
  });

  it.each(jcs.invalidNumbers)('refuses the non-finite value %s', (bits) => {
    expect(() => canonicalJson(Buffer.from(bits, 'hex').readDoubleBE(0))).toThrow();
  });
});

describe('canonicalJson against the canonicalize package', () => {
  it('writes the same bytes for random JSON values', async () => {
    const fc = await import('fast-check');
    const { default: reference } = (await import('canonicalize')) as unknown as {
      default: (v: unknown) => string;
    };
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 500 },
    );
  });

  it('orders the keys of small and large objects by UTF-16 code units, as the package does', async () => {
    const fc = await import('fast-check');
    const { default: reference } = (await import('canonicalize')) as unknown as {
      default: (v: unknown) => string;
    };
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.integer(), { maxKeys: 80 }),
        (value) => {
          expect(canonicalJson(value)).toBe(reference(value));
        },
      ),
      { numRuns: 300 },
    );
  });
});
