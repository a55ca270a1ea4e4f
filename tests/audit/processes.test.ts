// Several processes on one PostgreSQL: concurrent writers keep one chain; SIGKILL loses no acknowledged entry.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect } from 'vitest';
import { generateKeyringFile, loadKeyring } from '../../broker/audit/keyring.ts';
import { verifyLog } from '../../broker/audit/verify.ts';
import { migrate, openStore, type Store } from '../../broker/store/database.ts';
import { scratchDir } from '../support/databases.ts';
import { itWithPostgres } from './support.ts';

const CHILD = path.join(import.meta.dirname, 'writer-child.ts');

async function freshDatabase(
  adminUrl: string,
): Promise<{ url: string; store: Store; drop(): Promise<void> }> {
  const name = `schakel_audit_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const store = await openStore({ kind: 'postgres', url: url.toString(), poolSize: 4 });
  await migrate(store.db);
  return {
    url: url.toString(),
    store,
    async drop() {
      await store.close();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

interface Child {
  readonly process: ChildProcess;
  readonly acked: number[];
  readonly exited: Promise<number | null>;
}

function startWriter(
  url: string,
  keyringFile: string,
  count: number,
  concurrency: number,
  tag: string,
): Child {
  const child = spawn(process.execPath, [CHILD, url, keyringFile, String(count), String(concurrency), tag], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acked: number[] = [];
  let buffered = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) if (line.startsWith('ack ')) acked.push(Number(line.slice(4)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, acked, exited };
}

async function keyringOnDisk() {
  const file = path.join(scratchDir('audit-keys'), 'keyring.json');
  const keyringFile = await generateKeyringFile();
  writeFileSync(file, JSON.stringify(keyringFile));
  return { file, keyring: await loadKeyring(keyringFile) };
}

const count = async (store: Store) =>
  Number(
    (await sql<{ n: number }>`select count(*)::int as n from audit_entries`.execute(store.db)).rows[0]!.n,
  );

/** Whether a server process other than this one is still busy on the database (this store's own idle pool connections do not count). */
const otherBackends = async (store: Store) =>
  (
    await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'`.execute(store.db)
  ).rows[0]!.n > 0;

describe('several broker processes on one PostgreSQL', () => {
  itWithPostgres(
    'two processes writing concurrently produce one valid chain',
    async (adminUrl) => {
      const db = await freshDatabase(adminUrl);
      try {
        const { file, keyring } = await keyringOnDisk();
        const a = startWriter(db.url, file, 3000, 64, 'a');
        const b = startWriter(db.url, file, 3000, 64, 'b');
        expect(await a.exited).toBe(0);
        expect(await b.exited).toBe(0);
        const all = [...a.acked, ...b.acked].sort((x, y) => x - y);
        expect(all).toEqual(Array.from({ length: 6000 }, (_, i) => i + 1));
        // The writers really overlapped: each wrote entries between the other's.
        expect(Math.min(...a.acked)).toBeLessThan(Math.max(...b.acked));
        expect(Math.min(...b.acked)).toBeLessThan(Math.max(...a.acked));
        expect(await verifyLog({ db: db.store.db, jwks: keyring.jwks })).toMatchObject({
          ok: true,
          lastSeq: 6000,
        });
      } finally {
        await db.drop();
      }
    },
    60_000,
  );

  itWithPostgres(
    'SIGKILL at random moments loses no acknowledged entry and the chain verifies after restart',
    async (adminUrl) => {
      const db = await freshDatabase(adminUrl);
      try {
        const { file, keyring } = await keyringOnDisk();
        const acknowledged: number[] = [];
        for (let round = 0; round < 3; round++) {
          const writer = startWriter(db.url, file, 0, 32, `crash-${round}`);
          // Wait for real load, then kill at a random moment within the next half second.
          while (writer.acked.length < 200) await new Promise((r) => setTimeout(r, 20));
          await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 500)));
          writer.process.kill('SIGKILL');
          await writer.exited;
          acknowledged.push(...writer.acked);
        }
        // A killed client's server process finishes the statement it was running (and may commit it)
        // before it notices: wait until the writers' connections are gone before reading the log.
        while (await otherBackends(db.store)) await new Promise((r) => setTimeout(r, 20));
        const present = new Set(
          (await sql<{ seq: number }>`select seq from audit_entries`.execute(db.store.db)).rows.map((r) =>
            Number(r.seq),
          ),
        );
        const lost = acknowledged.filter((seq) => !present.has(seq));
        expect(lost).toEqual([]);
        expect(acknowledged.length).toBeGreaterThan(600);
        const result = await verifyLog({ db: db.store.db, jwks: keyring.jwks });
        expect(result).toMatchObject({ ok: true, lastSeq: await count(db.store) });
      } finally {
        await db.drop();
      }
    },
    60_000,
  );
});
