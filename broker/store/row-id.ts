// Ids for rows of tables that grow with every request: UUIDv7 (RFC 9562), time-ordered, so inserts land at the end of their index.
import { randomFillSync } from 'node:crypto';

/**
 * A new row id: a UUID version 7, the first 48 bits the current Unix time in milliseconds, the
 * other 74 free bits random (so ids stay unguessable).
 *
 * Why not a random (v4) UUID: ids of requests, reviews, receipts, cases, events, consents and
 * webhook deliveries are primary keys. A random key lands on a random leaf of its index: once the
 * index has more leaves than there are inserts between two checkpoints, nearly every insert is the
 * first change to its page since the checkpoint, and that change writes the whole page to the WAL.
 * With 2,000,000 rows in a table with a text primary key, 200,000 inserts after a checkpoint wrote
 * about 775 bytes of WAL per row with v4 ids and 213 with v7 ids, with wal_compression on and off
 * alike (`bench/row-ids.ts`, 2026-12-01, PostgreSQL 15). Time-ordered ids append at the right edge
 * of the index instead. The time an id carries is its row's creation time, which every party that
 * sees the id can already see.
 *
 * @example const id = newRowId(); // '0192f0c4-5b7e-7a3c-9d21-4e8f0a6b2c1d'
 */
export function newRowId(now: number = Date.now()): string {
  // Random bytes are drawn for many ids at once and each byte is used once, as node:crypto's
  // randomUUID does, rather than a buffer and a call into the random generator per id.
  if (next === POOLED_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  const at = 16 * next++;
  // 48-bit big-endian milliseconds: a double holds them exactly (until the year 10889).
  pool.writeUIntBE(now, at, 6);
  pool[at + 6] = (pool[at + 6]! & 0x0f) | 0x70; // version 7
  pool[at + 8] = (pool[at + 8]! & 0x3f) | 0x80; // variant 10 (RFC 9562)
  let id = '';
  for (let i = 0; i < 16; i++) {
    id += HEX[pool[at + i]!]!;
    if (i === 3 || i === 5 || i === 7 || i === 9) id += '-';
  }
  return id;
}

/** How many ids' worth of random bytes are drawn at once. */
const POOLED_IDS = 128;
const pool = Buffer.alloc(16 * POOLED_IDS);
let next = POOLED_IDS;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
