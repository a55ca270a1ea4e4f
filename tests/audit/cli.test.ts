// `schakel audit verify` and `schakel audit subject` as an operator and a privacy officer run them (PostgreSQL).
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, vi } from 'vitest';
import { createAuditLog } from '../../broker/audit/appender.ts';
import { writeKeyringFile } from '../../broker/audit/key-files.ts';
import { generateKeyringFile, loadKeyring } from '../../broker/audit/keyring.ts';
import { createPseudonymizer } from '../../broker/audit/pseudonym.ts';
import { createFileWitness } from '../../broker/audit/witness.ts';
import { runCli } from '../../broker/cli/main.ts';
import { migrate, openStore } from '../../broker/store/database.ts';
import { createScratchDatabase, scratchDir } from '../support/databases.ts';
import { itWithPostgres, sampleRecord } from './support.ts';

const BSN = '111222333';

async function setUp(adminUrl: string) {
  const database = await createScratchDatabase(adminUrl, 'schakel_cli');
  const url = new URL(database.url);
  const dir = scratchDir('audit-cli');
  const env = {
    SCHAKEL_DATABASE_URL: url.toString(),
    SCHAKEL_DATA_DIR: dir,
    SCHAKEL_AUDIT_SIGNING_KEYS_FILE: path.join(dir, 'signing.json'),
    SCHAKEL_PSEUDONYM_KEYS_FILE: path.join(dir, 'pseudonyms.json'),
    SCHAKEL_AUDIT_WITNESS_FILE: path.join(dir, 'witness', 'checkpoint.json'),
  };
  Object.assign(process.env, env);
  const keyringFile = await generateKeyringFile();
  writeKeyringFile(env.SCHAKEL_AUDIT_SIGNING_KEYS_FILE, keyringFile);
  const key = randomBytes(32);
  writeFileSync(
    env.SCHAKEL_PSEUDONYM_KEYS_FILE,
    JSON.stringify({ current: 'p1', keys: { p1: key.toString('base64') } }),
  );
  const store = await openStore({ kind: 'postgres', url: url.toString() });
  await migrate(store.db);
  const witness = createFileWitness(env.SCHAKEL_AUDIT_WITNESS_FILE, (e) => {
    throw e;
  });
  const log = createAuditLog({ db: store.db, keyring: await loadKeyring(keyringFile), witness, maxBatch: 5 });
  const subject = createPseudonymizer({ current: 'p1', keys: { p1: key } }).pseudonym(BSN);
  return {
    store,
    log,
    subject,
    async close() {
      await log.close();
      await store.close();
      for (const k of Object.keys(env)) delete process.env[k];
      await database.drop();
    },
  };
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((m: unknown) => void out.push(String(m)));
  vi.spyOn(console, 'error').mockImplementation((m: unknown) => void err.push(String(m)));
  return { out, err };
}

describe('schakel audit commands', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  itWithPostgres('verify exits 0 on an intact log and 1 naming the first bad seq', async (adminUrl) => {
    const t = await setUp(adminUrl);
    try {
      await Promise.all(Array.from({ length: 30 }, (_, i) => t.log.append(sampleRecord(i))));
      await t.log.close();
      let io = capture();
      expect(await runCli(['audit', 'verify'])).toBe(0);
      expect(io.out.join('\n')).toMatch(/audit log intact: entries 1\.\.30, .* 1 outside checkpoint/);
      vi.restoreAllMocks();

      await t.store.db.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`delete from audit_entries where seq > 20`.execute(trx);
        await sql`delete from audit_checkpoints where tree_size > 20`.execute(trx);
      });
      io = capture();
      expect(await runCli(['audit', 'verify'])).toBe(1);
      expect(io.err.join('\n')).toMatch(/NOT intact: seq 21: .*witness checkpoint covers 30/);
      vi.restoreAllMocks();
      io = capture();
      expect(await runCli(['audit', 'verify', '--from', 'x'])).toBe(2);
    } finally {
      await t.close();
    }
  });

  itWithPostgres(
    'subject lists disclosures about the person, never confidential processing or a BSN',
    async (adminUrl) => {
      const t = await setUp(adminUrl);
      try {
        await t.log.append(
          sampleRecord(1, {
            subjectPseudonym: t.subject,
            actor: { partnerId: 'demo-politie' },
            category: 'ggz.bekend',
          }),
        );
        await t.log.append(
          sampleRecord(2, {
            subjectPseudonym: t.subject,
            actor: { partnerId: 'demo-politie' },
            holder: 'demo-aivd',
            category: 'aivd.signaal',
            confidential: true,
          }),
        );
        await t.log.append(
          sampleRecord(3, { subjectPseudonym: 'p1.someone-else', category: 'om.strafzaken' }),
        );
        const io = capture();
        expect(await runCli(['audit', 'subject', '--bsn', BSN])).toBe(0);
        const text = io.out.join('\n');
        expect(text).toContain('demo-politie\tggz.bekend\trisicotaxatie\tbg_toestemming\tavg_6_1_e');
        expect(text).not.toContain('aivd');
        expect(text).not.toContain('om.strafzaken');
        expect(text).not.toContain(BSN);
        expect(await runCli(['audit', 'subject', '--bsn', '123456789'])).toBe(2);
      } finally {
        await t.close();
      }
    },
  );
});
