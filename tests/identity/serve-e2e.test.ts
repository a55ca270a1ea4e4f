// `schakel serve` with its demo partners, driven by curl and openssl s_client as an operator would.
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../support/databases.ts';
import { runSchakel, startServe, type ServeHandle } from '../support/processes.ts';

const exec = promisify(execFile);

describe('schakel serve with demo partners, through curl and openssl s_client', () => {
  const cwd = scratchDir('identity-e2e');
  const pki = path.join(cwd, 'var/pki');
  const partner = (id: string) => ({
    cert: `${pki}/partners/${id}/cert.pem`,
    key: `${pki}/partners/${id}/key.pem`,
  });
  let broker: ServeHandle;

  beforeAll(async () => {
    broker = await startServe({ cwd, env: { SCHAKEL_LOG_PRETTY: 'false' } });
  }, 60_000);
  afterAll(async () => {
    await broker?.stop('SIGKILL');
  });

  const curl = async (files: { cert: string; key: string } | undefined, headers: string[] = []) => {
    const { stdout } = await exec('curl', [
      '-sS',
      '--cacert',
      `${pki}/ca.pem`,
      ...(files === undefined ? [] : ['--cert', files.cert, '--key', files.key]),
      ...headers.flatMap((h) => ['-H', h]),
      '-w',
      '\n%{http_code}',
      `https://localhost:${broker.port}/v1/whoami`,
    ]);
    const [body = '', status = ''] = stdout.split('\n');
    return { status: Number(status), body: JSON.parse(body) as Record<string, unknown> };
  };

  const sClient = (files: { cert: string; key: string } | undefined) =>
    new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const child = spawn('openssl', [
        's_client',
        '-quiet',
        '-connect',
        `127.0.0.1:${broker.port}`,
        '-servername',
        'localhost',
        '-CAfile',
        `${pki}/ca.pem`,
        ...(files === undefined ? [] : ['-cert', files.cert, '-key', files.key]),
      ]);
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.once('error', reject);
      child.once('close', () => {
        const status = Number(/^HTTP\/1\.1 (\d{3})/m.exec(out)?.[1] ?? 0);
        const body = out.slice(out.indexOf('\r\n\r\n') + 4);
        resolve({
          status,
          body: JSON.parse(body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1)) as Record<
            string,
            unknown
          >,
        });
      });
      child.stdin.end('GET /v1/whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    });

  it('prints a ready-to-paste curl with the demo partner files', () => {
    expect(broker.output()).toContain('--cert var/pki/partners/demo-politie/cert.pem');
    expect(broker.output()).toContain('npx schakel pki token --partner demo-politie');
  });

  it('shows the national team under the politie OIN to curl and to openssl s_client alike', async () => {
    const viaCurl = await curl(partner('demo-politie'));
    const viaOpenssl = await sClient(partner('demo-politie'));
    expect(viaCurl).toMatchObject({
      status: 200,
      body: { partner: { id: 'demo-politie', identifierType: 'oin', national: true } },
    });
    expect(viaOpenssl.status).toBe(200);
    expect(viaOpenssl.body.partner).toEqual(viaCurl.body.partner);
  });

  it('refuses a connection without a certificate with the same code for both clients', async () => {
    expect(await curl(undefined)).toMatchObject({ status: 401, body: { code: 'ERR_CERT_REQUIRED' } });
    expect(await sClient(undefined)).toMatchObject({ status: 401, body: { code: 'ERR_CERT_REQUIRED' } });
  });

  it('accepts a user token minted with `schakel pki token`', async () => {
    const minted = await runSchakel(
      ['pki', 'token', '--partner', 'demo-ggz', '--user', 'u-7', '--role', 'behandelaar'],
      { cwd },
    );
    expect(minted.code).toBe(0);
    const answer = await curl(partner('demo-ggz'), [`Authorization: Bearer ${minted.stdout.trim()}`]);
    expect(answer).toMatchObject({
      status: 200,
      body: { partner: { identifierType: 'ura' }, user: { id: 'u-7', role: 'behandelaar' } },
    });
  });

  it('refuses a certificate revoked with `schakel pki revoke` on the running broker', async () => {
    const listed = await runSchakel(['pki', 'list', '--json'], { cwd });
    const rows = JSON.parse(listed.stdout) as { serial: string; holder: string }[];
    const serial = rows.find((r) => r.holder === 'demo-kmar')!.serial;
    expect((await curl(partner('demo-kmar'))).status).toBe(200);
    const revoked = await runSchakel(['pki', 'revoke', '--serial', serial], { cwd });
    expect(revoked.code).toBe(0);
    // The broker polls the CRL files every 250 ms; poll the client side until the refusal shows. A
    // connection whose handshake ends just after the reload is closed without an answer (curl exit
    // 52), as a client is expected to connect again: that counts as not yet refused.
    const ask = () =>
      curl(partner('demo-kmar')).catch((error: { code?: number }) => {
        if (error.code === 52) return { status: 0, body: {} };
        throw error;
      });
    let answer = await ask();
    for (let i = 0; i < 20 && (answer.status === 200 || answer.status === 0); i++) answer = await ask();
    expect(answer).toMatchObject({ status: 401, body: { code: 'ERR_CERT_REVOKED' } });
    expect(await sClient(partner('demo-kmar'))).toMatchObject({
      status: 401,
      body: { code: 'ERR_CERT_REVOKED' },
    });
  });

  it('starts again on the same ./var without issuing or registering anything', async () => {
    expect(await broker.stop('SIGTERM')).toBe(0);
    broker = await startServe({ cwd, env: { SCHAKEL_LOG_PRETTY: 'false' } });
    expect(broker.output()).not.toContain('seeded demo partners');
    expect((await curl(partner('demo-dkdb'))).body).toMatchObject({
      partner: { id: 'demo-dkdb', kind: 'dkdb' },
    });
  }, 60_000);
});
