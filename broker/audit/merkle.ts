// RFC 6962 Merkle tree hashing: leaf and node hashes, a compact frontier, inclusion proofs.
import { createHash, hash } from 'node:crypto';
import { scratchOf } from './hashing.ts';

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT = createHash('sha256').digest();

/** RFC 6962 leaf hash: SHA-256(0x00 || data). */
export function leafHash(data: string | Uint8Array): Buffer {
  return createHash('sha256').update(LEAF).update(data).digest();
}

/**
 * RFC 6962 leaf hash of UTF-8 text as a 32-character binary (latin1) string: the form the frontier
 * keeps, cheaper to make and to hash again than a Buffer.
 */
export function leafDigest(body: string): string {
  const buffer = scratchOf(1 + Buffer.byteLength(body, 'utf8'));
  buffer[0] = 0;
  const bytes = buffer.write(body, 1, 'utf8');
  return hash('sha256', buffer.subarray(0, 1 + bytes), 'binary');
}

const nodeScratch = Buffer.alloc(65);
nodeScratch[0] = 1;

/** RFC 6962 node hash of two binary (latin1) digests, as a binary digest. */
function nodeDigest(left: string, right: string): string {
  // Only a frontier read from a tampered row has nodes of another length: hash them as they are.
  if (left.length !== 32 || right.length !== 32)
    return nodeHash(Buffer.from(left, 'latin1'), Buffer.from(right, 'latin1')).toString('latin1');
  nodeScratch.write(left, 1, 32, 'latin1');
  nodeScratch.write(right, 33, 32, 'latin1');
  return hash('sha256', nodeScratch, 'binary');
}

/** RFC 6962 interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE).update(left).update(right).digest();
}

/**
 * The right edge of a Merkle tree (one perfect subtree root per set bit of the size, largest
 * first): enough to extend the tree and compute its root without the earlier leaves.
 */
export class Frontier {
  #size: number;
  // 32-byte digests as binary (latin1) strings: a frontier push costs a node hash per carry, and
  // strings avoid a Buffer allocation for each.
  readonly #nodes: string[];

  constructor(size = 0, nodes: readonly Uint8Array[] = []) {
    if (popcount(size) !== nodes.length)
      throw new Error(`a frontier of size ${size} has ${popcount(size)} nodes, got ${nodes.length}`);
    this.#size = size;
    this.#nodes = nodes.map((n) => Buffer.from(n).toString('latin1'));
  }

  get size(): number {
    return this.#size;
  }

  /** Appends one leaf hash. */
  push(leaf: Uint8Array): void {
    this.pushDigest(Buffer.from(leaf.buffer, leaf.byteOffset, leaf.length).toString('latin1'));
  }

  /** Appends one leaf hash given as a binary (latin1) digest, as leafDigest returns it. */
  pushDigest(leaf: string): void {
    let node = leaf;
    for (let size = this.#size; size % 2 === 1; size = Math.floor(size / 2)) {
      node = nodeDigest(this.#nodes.pop()!, node);
    }
    this.#nodes.push(node);
    this.#size += 1;
  }

  /** The tree head (MTH) over every leaf pushed so far. */
  root(): Buffer {
    if (this.#nodes.length === 0) return Buffer.from(EMPTY_ROOT);
    let root = this.#nodes[this.#nodes.length - 1]!;
    for (let i = this.#nodes.length - 2; i >= 0; i--) root = nodeDigest(this.#nodes[i]!, root);
    return Buffer.from(root, 'latin1');
  }

  /** The nodes as hex, largest subtree first (stored with every checkpoint). */
  toHex(): string[] {
    return this.#nodes.map((n) => Buffer.from(n, 'latin1').toString('hex'));
  }

  static fromHex(size: number, nodes: readonly string[]): Frontier {
    return new Frontier(
      size,
      nodes.map((n) => Buffer.from(n, 'hex')),
    );
  }

  clone(): Frontier {
    const copy = new Frontier();
    copy.#size = this.#size;
    copy.#nodes.push(...this.#nodes);
    return copy;
  }
}

function popcount(n: number): number {
  let count = 0;
  for (let v = n; v > 0; v = Math.floor(v / 2)) count += v % 2;
  return count;
}

/** MTH over leaf hashes[lo, hi). */
export function subtreeRoot(leaves: readonly Uint8Array[], lo = 0, hi = leaves.length): Buffer {
  const n = hi - lo;
  if (n === 0) return Buffer.from(EMPTY_ROOT);
  if (n === 1) return Buffer.from(leaves[lo]!);
  const k = largestPowerOfTwoBelow(n);
  return nodeHash(subtreeRoot(leaves, lo, lo + k), subtreeRoot(leaves, lo + k, hi));
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** RFC 6962 PATH(m, D[n]): the audit path for leaf `index` in the tree of the given leaf hashes. */
export function inclusionProof(leaves: readonly Uint8Array[], index: number): Buffer[] {
  if (index < 0 || index >= leaves.length)
    throw new RangeError(`leaf ${index} is outside a tree of size ${leaves.length}`);
  const path: Buffer[] = [];
  const walk = (m: number, lo: number, hi: number): void => {
    const n = hi - lo;
    if (n <= 1) return;
    const k = largestPowerOfTwoBelow(n);
    if (m < k) {
      walk(m, lo, lo + k);
      path.push(subtreeRoot(leaves, lo + k, hi));
    } else {
      walk(m - k, lo + k, hi);
      path.push(subtreeRoot(leaves, lo, lo + k));
    }
  };
  walk(index, 0, leaves.length);
  return path;
}

/** Recomputes the root from an inclusion proof (RFC 9162 2.1.3.2); undefined when the proof has the wrong shape. */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
): Buffer | undefined {
  if (index < 0 || index >= size) return undefined;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined;
}

/** True when the proof shows the leaf at `index` in the tree of `size` with this root. */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const computed = rootFromInclusionProof(index, size, leaf, proof);
  return computed !== undefined && leaf.length === 32 && computed.equals(root);
}
