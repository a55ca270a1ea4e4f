// OPA's canonical JSON for structured bundle files, checked against OPA's own hash vectors.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../broker/policy/canonical-json.ts';
import { hashBundleFile } from '../../broker/policy/signature.ts';
import { OPA_FOO_BAR_SHA256, OPA_MANIFEST, OPA_MANIFEST_MD5 } from './opa-vectors.ts';

const canon = (text: string) => canonicalJson(Buffer.from(text, 'utf8'));

describe('canonicalJson', () => {
  it('matches the digest OPA computes for a manifest (MD5 vector)', () => {
    expect(createHash('md5').update(canon(OPA_MANIFEST)).digest('hex')).toBe(OPA_MANIFEST_MD5);
  });

  it('sorts keys and drops whitespace (SHA-256 vector)', () => {
    expect(hashBundleFile('a/b/data.json', Buffer.from('{"foo":    1,\n "bar": 2}'))).toBe(
      OPA_FOO_BAR_SHA256,
    );
  });

  it('keeps number literals as written', () => {
    expect(
      canon('{"c": 123.45678911111111111111111111111111111111111111111111111, "a": 1.50, "b": 1e3}'),
    ).toBe('{"a":1.50,"b":1e3,"c":123.45678911111111111111111111111111111111111111111111111}');
  });

  it('escapes strings as Go does without HTML escaping', () => {
    expect(canon('["<foo></foo>&", "\\u2028\\u2029", "\\u0001\\b\\f", "\\ud800", "α©™"]')).toBe(
      '["<foo></foo>&","\\u2028\\u2029","\\u0001\\b\\f","\uFFFD","α©™"]',
    );
  });

  it('sorts keys by UTF-8 byte order, as Go does', () => {
    expect(canon('{"\uFF61": 1, "\u{1F600}": 2, "a": 3}')).toBe('{"a":3,"\uFF61":1,"\u{1F600}":2}');
  });

  it('hashes non-structured files byte for byte', () => {
    const rego = Buffer.from('package x\n');
    expect(hashBundleFile('x.rego', rego)).toBe(createHash('sha256').update(rego).digest('hex'));
  });

  it('refuses weak hash algorithms', () => {
    expect(() => hashBundleFile('x.rego', Buffer.from(''), 'MD5')).toThrow(
      expect.objectContaining({ code: 'ERR_POLICY_SIGNATURE' }),
    );
  });
});
