// Several processes on one PostgreSQL: concurrent writers keep one chain; SIGKILL loses no acknowledged entry, each found at the seq its writer was told.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect } from 'vitest';
import { generateKeyringFile, loadKeyring } from '../../broker/audit/keyring.ts';
import { verifyLog } from '../../broker/audit/verify.ts';
import { migrate, openStore, type Store } from '../../broker/store/database.ts';
import { createScratchDatabase, scratchDir } from '../support/databases.ts';
import { itWithPostgres, unrecorded, waitUntil, type Acknowledged } from './support.ts';

const CHILD = path.join(import.meta.dirname, 'writer-child.ts');

async function freshDatabase(
  adminUrl: string,
): Promise<{ url: string; store: Store; drop(): Promise<void> }> {
  const database = await createScratchDatabase(adminUrl, 'schakel_audit');
  const store = await openStore({ kind: 'postgres', url: database.url, poolSize: 4 });
  await migrate(store.db);
  return {
    url: database.url,
    store,
    async drop() {
      await store.close();
      await database.drop();
    },
  };
}

interface Child {
  readonly process: ChildProcess;
  /** Each record the child was told is committed, in the order it reported them. */
  readonly acked: Acknowledged[];
  /** Batches committed from a chain made while the batch before was written (the "ahead" path). */
  readonly ahead: { batches: number };
  readonly exited: Promise<number | null>;
  /** Whether the child has opened its connections (a gated child waits for `go()` after that). */
  readonly ready: () => boolean;
  /** Lets a gated child start writing. */
  go(): void;
  /** Kills the child with SIGKILL as soon as it reports its next acknowledgement. */
  killAtNextAck(): void;
}

const running = new Set<ChildProcess>();

function startWriter(
  url: string,
  keyringFile: string,
  count: number,
  concurrency: number,
  tag: string,
  maxBatch: number,
  gated = false,
): Child {
  const child = spawn(
    process.execPath,
    [
      CHILD,
      url,
      keyringFile,
      String(count),
      String(concurrency),
      tag,
      String(maxBatch),
      ...(gated ? ['gated'] : []),
    ],
    { stdio: [gated ? 'pipe' : 'ignore', 'pipe', 'inherit'] },
  );
  running.add(child);
  const acked: Acknowledged[] = [];
  const ahead = { batches: 0 };
  let ready = !gated;
  let killArmed = false;
  let buffered = '';
  // Piped by the spawn options above.
  const stdout = child.stdout!;
  stdout.setEncoding('utf8');
  stdout.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const [word, seq, transactionId] = line.split(' ');
      if (word === 'ack') acked.push({ seq: Number(seq), transactionId: transactionId! });
      if (word === 'ahead') ahead.batches += 1;
      if (word === 'ready') ready = true;
    }
    // The moment a writer that acknowledges before its commit would lose what it acknowledged.
    if (killArmed && lines.some((l) => l.startsWith('ack '))) child.kill('SIGKILL');
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return {
    process: child,
    acked,
    ahead,
    exited,
    ready: () => ready,
    go() {
      child.stdin?.end('go\n');
    },
    killAtNextAck() {
      killArmed = true;
    },
  };
}

afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
});

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
    'two processes writing concurrently produce one valid chain, each record at the seq its writer was told',
    async (adminUrl) => {
      const db = await freshDatabase(adminUrl);
      try {
        const { file, keyring } = await keyringOnDisk();
        // Batches of 16 for 64 callers: more records wait than one batch takes, so the next batch
        // is chained while one is written (the appender's "ahead" path) whenever the head is known.
        // While both write, each moves the head under the other and contention turns that path off
        // for a while, so whether it is taken then is up to the scheduler (a CI run saw none). B
        // therefore starts once A has taken it: A then holds a chain made ahead when B moves the head.
        const a = startWriter(db.url, file, 3000, 64, 'a', 16, true);
        const b = startWriter(db.url, file, 3000, 64, 'b', 16, true);
        await waitUntil(
          () => a.ready() && b.ready(),
          20_000,
          () => 'both writers to open their connections',
        );
        a.go();
        await waitUntil(
          () => a.ahead.batches > 0,
          20_000,
          () => `writer a to commit a batch chained ahead (${a.acked.length} acknowledged)`,
        );
        b.go();
        expect(await a.exited).toBe(0);
        expect(await b.exited).toBe(0);
        const acked = [...a.acked, ...b.acked];
        expect(await unrecorded(db.store.db, acked)).toEqual([]);
        expect(acked.map((e) => e.seq).sort((x, y) => x - y)).toEqual(
          Array.from({ length: 6000 }, (_, i) => i + 1),
        );
        // The writers really overlapped: each wrote entries between the other's.
        const seqs = (c: Child) => c.acked.map((e) => e.seq);
        expect(Math.min(...seqs(a))).toBeLessThan(Math.max(...seqs(b)));
        expect(Math.min(...seqs(b))).toBeLessThan(Math.max(...seqs(a)));
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
    'SIGKILL at random moments and right after an acknowledgement loses no acknowledged entry, and the chain verifies after restart',
    async (adminUrl) => {
      const db = await freshDatabase(adminUrl);
      try {
        const { file, keyring } = await keyringOnDisk();
        const acknowledged: Acknowledged[] = [];
        let ahead = 0;
        for (let round = 0; round < 4; round++) {
          // Batches of 8 for 32 callers: the "ahead" path is taken as well as the plain one.
          const writer = startWriter(db.url, file, 0, 32, `crash-${round}`, 8);
          await waitUntil(
            () => writer.acked.length >= 200,
            20_000,
            () => `round ${round}: ${writer.acked.length} of 200 acknowledgements before the kill`,
          );
          if (round % 2 === 0) {
            // A random moment within the next half second.
            await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 500)));
            writer.process.kill('SIGKILL');
          } else {
            writer.killAtNextAck();
          }
          await writer.exited;
          acknowledged.push(...writer.acked);
          ahead += writer.ahead.batches;
        }
        // A killed client's server process finishes the statement it was running (and may commit it)
        // before it notices: wait until the writers' connections are gone before reading the log.
        await waitUntil(
          async () => !(await otherBackends(db.store)),
          20_000,
          () => "the killed writers' server processes to finish",
        );
        expect(await unrecorded(db.store.db, acknowledged)).toEqual([]);
        expect(acknowledged.length).toBeGreaterThan(800);
        expect(ahead).toBeGreaterThan(0);
        const result = await verifyLog({ db: db.store.db, jwks: keyring.jwks });
        expect(result).toMatchObject({ ok: true, lastSeq: await count(db.store) });
      } finally {
        await db.drop();
      }
    },
    60_000,
  );
});
