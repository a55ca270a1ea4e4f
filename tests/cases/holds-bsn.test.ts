// Texts that are logged or shown on pages: a BSN is found written in a row or in groups, and nothing else is taken for one.
import { describe, expect, it } from 'vitest';
import { holdsBsn } from '../../broker/cases/bsn.ts';

describe('finding a BSN in a text', () => {
  it.each([
    '111222333',
    'gemeld door 111222333',
    'BSN 111 222 333',
    '111.222.333',
    '(111-22-2333)',
    'bsn_111222333',
    '2026-01-01T00:00:00.111222333+01:00',
  ])('finds one in %j', (text) => {
    expect(holdsBsn(text)).toBe(true);
  });

  it.each([
    '2026-01-20 10:00',
    '01a23330-a052-7edc-9811-a3be344b8e17',
    '12345678-9abc',
    'zaak 2026-114',
    '06-12345678',
    'A111222333',
    '1111222333',
    '111 222 3334',
    '111222334',
  ])('takes %j for none', (text) => {
    expect(holdsBsn(text)).toBe(false);
  });
});
