// Row ids: UUIDv7 that the API's validators accept, carry their creation time and sort by it.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { newRowId } from '../../broker/store/row-id.ts';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The Unix milliseconds in a UUIDv7's first 48 bits. */
function timeOf(id: string): number {
  return Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
}

describe('newRowId', () => {
  it('makes RFC 9562 version 7 UUIDs that the routes accept as ids', () => {
    for (let i = 0; i < 1000; i++) {
      const id = newRowId();
      expect(id).toMatch(V7);
      expect(z.uuid().safeParse(id).success).toBe(true);
    }
  });

  it('carries the time it was made in milliseconds', () => {
    const at = Date.parse('2026-12-01T16:20:00.123Z');
    expect(timeOf(newRowId(at))).toBe(at);
    const before = Date.now();
    const made = timeOf(newRowId());
    expect(made).toBeGreaterThanOrEqual(before);
    expect(made).toBeLessThanOrEqual(Date.now());
  });

  it('sorts ids made in later milliseconds after earlier ones', () => {
    const start = Date.parse('2030-01-01T00:00:00Z');
    const ids = Array.from({ length: 500 }, (_, i) => newRowId(start + i * 7));
    expect([...ids].sort()).toEqual(ids);
  });

  it('makes different ids within one millisecond', () => {
    const at = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => newRowId(at)));
    expect(ids.size).toBe(10_000);
  });
});
