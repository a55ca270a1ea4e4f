// A PostgreSQL that stops answering mid-verification (no reset, nothing) fails the page after its timeout instead of hanging.
import net from 'node:net';
import pg from 'pg';
import { describe, expect } from 'vitest';
import { openSnapshotReader } from '../../broker/audit/verify-stream.ts';
import { migrate, openStore } from '../../broker/store/database.ts';
import { createScratchDatabase } from '../support/databases.ts';
import { itWithPostgres } from './support.ts';

/** A TCP relay to PostgreSQL that can go silent: after freeze() it neither forwards nor closes anything. */
async function startRelay(target: URL): Promise<{ url: string; freeze(): void; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let frozen = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
    }
    client.on('data', (chunk) => {
      if (!frozen) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!frozen) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const relayed = new URL(target.toString());
  relayed.hostname = '127.0.0.1';
  relayed.port = String((server.address() as net.AddressInfo).port);
  return {
    url: relayed.toString(),
    freeze() {
      frozen = true;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('verification against a server that goes silent', () => {
  itWithPostgres(
    'fails the page after its timeout and closes, instead of waiting for ever',
    async (adminUrl) => {
      const database = await createScratchDatabase(adminUrl, 'schakel_verify_silent');
      const store = await openStore({ kind: 'postgres', url: database.url, poolSize: 2 });
      const exporter = new pg.Client({ connectionString: database.url });
      const relay = await startRelay(new URL(database.url));
      try {
        await migrate(store.db);
        await exporter.connect();
        await exporter.query('begin isolation level repeatable read read only');
        const { rows } = await exporter.query<{ id: string }>('select pg_export_snapshot() as id');
        const reader = openSnapshotReader(relay.url, rows[0]!.id, { pageTimeoutMs: 300 });
        // Through the relay while it forwards: an empty log's first page.
        await expect(reader.check(0, 100)).resolves.toBeDefined();
        relay.freeze();
        const started = performance.now();
        await expect(reader.check(0, 100)).rejects.toThrow(
          /reading entries failed: no answer from PostgreSQL within 300 ms/,
        );
        expect(performance.now() - started).toBeLessThan(5_000);
        await reader.close();
      } finally {
        await relay.close();
        await exporter.end().catch(() => undefined);
        await store.close();
        await database.drop();
      }
    },
    30_000,
  );
});
