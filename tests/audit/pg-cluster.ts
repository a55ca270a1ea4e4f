// A throwaway PostgreSQL cluster (initdb in a temp dir, free port) that a fault test may stop and start.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface ThrowawayCluster {
  readonly url: string;
  stop(): void;
  start(): void;
  /** Stops the cluster and removes its files; again is a no-op. */
  destroy(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** initdb and pg_ctl: from SCHAKEL_TEST_PG_BIN where CI names the server's binaries, else from PATH. */
const tool = (name: string) => {
  const bin = process.env.SCHAKEL_TEST_PG_BIN;
  return bin === undefined || bin === '' ? name : `'${path.join(bin, name)}'`;
};

const asPostgres = (command: string) => {
  const asRoot = process.getuid?.() === 0;
  execFileSync(asRoot ? 'su' : 'sh', asRoot ? ['postgres', '-c', command] : ['-c', command], {
    stdio: 'pipe',
  });
};

/** Creates and starts a cluster owned by the postgres user. Needs initdb and pg_ctl (see `tool`). */
export async function createThrowawayCluster(): Promise<ThrowawayCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'schakel-pgfault-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  asPostgres(`${tool('initdb')} -D ${data} -A trust -U postgres --no-sync >/dev/null`);
  const pgctl = (action: string) =>
    asPostgres(
      `${tool('pg_ctl')} -D ${data} -o '-p ${port} -k ${dir} -c fsync=on' -l ${dir}/log -w ${action}`,
    );
  pgctl('start');
  let destroyed = false;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    // Immediate: like a crash or a pulled cable, no clean shutdown of open sessions.
    stop: () => pgctl('stop -m immediate'),
    start: () => pgctl('start'),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      try {
        pgctl('stop -m immediate');
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
