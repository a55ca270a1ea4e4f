// Bodies reach the database byte for byte (they travel as one JSON array per batch), whatever text a record holds.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyLog } from '../../broker/audit/verify.ts';
import { BACKENDS } from '../support/databases.ts';
import { openAuditFixture, sampleRecord, type AuditFixture } from './support.ts';

describe.each(BACKENDS)('entry bodies on %s', (backend) => {
  let f: AuditFixture;
  beforeEach(async () => {
    f = await openAuditFixture(backend);
  });
  afterEach(async () => {
    await f.close();
  });

  it('stores quotes, backslashes, control characters, non-ASCII and lone surrogates as hashed', async () => {
    const texts = [
      '"quoted" \\ back\\slash',
      'tab\tnewline\nnul\u0000',
      'é ü € 😀 漢字',
      'lone \ud800 high',
      '\udfff',
    ];
    const entries = await Promise.all(
      texts.map((text, i) => f.log.append(sampleRecord(i, { details: { text, [`key ${text}`]: i } }))),
    );
    const { rows } = await sql<{ seq: number; body: string; hash: string }>`
      select seq, body, hash from audit_entries order by seq`.execute(f.store.db);
    expect(rows.map((r) => r.hash)).toEqual(entries.map((e) => e.hash));
    for (const row of rows) {
      const doc = JSON.parse(row.body) as { details: { text: string } };
      expect(texts).toContain(doc.details.text);
    }
    expect(await verifyLog({ db: f.store.db, jwks: f.keyring.jwks })).toMatchObject({ ok: true, lastSeq: 5 });
  });
});
