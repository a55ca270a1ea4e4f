// Faulty holder sources over real mutual TLS: each bad pair answers `error` with a stable code, the rest still answer.
import { readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguredAdapters } from '../../adapters/configured.ts';
import type { Adapter } from '../../adapters/contract.ts';
import { DEMO_BSN, DEMO_DATA } from '../../adapters/reference/demo-data.ts';
import { pkiPaths, readServerCredentials } from '../../keys/dev-pki.ts';
import { issuePartnerCertificate, issuedFiles } from '../../keys/issue.ts';
import { createPki } from '../../keys/pki-setup.ts';
import { BACKENDS, scratchDir } from '../support/databases.ts';
import { asPartner } from '../support/test-caller.ts';
import { createHarness, type Harness, type Item } from './harness.ts';

/** What each faulty OM source does, and the reason code its pair must get. */
const FAULTS = {
  'om-hang': { path: '/hang', code: 'SOURCE_TIMEOUT' },
  'om-slow-body': { path: '/slow-body', code: 'SOURCE_TIMEOUT' },
  'om-500': { path: '/500', code: 'SOURCE_UNAVAILABLE' },
  'om-garbage': { path: '/garbage', code: 'SOURCE_INVALID_ANSWER' },
  'om-contract': { path: '/contract', code: 'SOURCE_INVALID_ANSWER' },
  'om-bad-names': { path: '/bad-names', code: 'SOURCE_INVALID_ANSWER' },
  'om-html-404': { path: '/html-404', code: 'SOURCE_INVALID_ANSWER' },
  'om-redirect': { path: '/redirect', code: 'SOURCE_INVALID_ANSWER' },
  'om-huge': { path: '/huge', code: 'SOURCE_INVALID_ANSWER' },
  'om-wrong-ca': { path: '/ok', code: 'SOURCE_UNAVAILABLE' },
  'om-refuses-broker': { path: '/ok', code: 'SOURCE_UNAVAILABLE' },
  'om-closed-port': { path: '/ok', code: 'SOURCE_UNAVAILABLE' },
  'om-deaf': { path: '', code: 'SOURCE_TIMEOUT' },
} as const;

describe('faulty holder sources over mutual TLS', () => {
  const dir = scratchDir('adapter-faults');
  const trusted = path.join(dir, 'pki');
  const other = path.join(dir, 'other-pki');
  const servers: Server[] = [];
  const ports: Record<'good' | 'wrongCa' | 'refusesBroker', number> = {
    good: 0,
    wrongCa: 0,
    refusesBroker: 0,
  };
  let closedPort = 0;
  let redirectTargetHits = 0;
  let adaptersFile = '';
  let mtlsFetch: typeof fetch;
  let agent: Agent;

  /** A source that answers the canonical query; `path` picks its behaviour. */
  function source(req: IncomingMessage, res: ServerResponse) {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const url = req.url ?? '';
      if (url === '/ok') {
        const query = JSON.parse(raw) as { category: string; subject: { bsn: string } };
        const record = DEMO_DATA[query.subject.bsn]?.[query.category];
        res.setHeader('content-type', 'application/json');
        // Extra fields the permit does not name: minimisation must strip them.
        res.end(JSON.stringify(record === undefined ? { status: 'not_found' } : { status: 'found', record }));
      } else if (url === '/hang') {
        // never answers
      } else if (url === '/slow-body') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"status":"found","record":{');
      } else if (url === '/500') {
        res.writeHead(500).end('{"status":"found","record":{"lopend":[]}}');
      } else if (url === '/garbage') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"found","record":');
      } else if (url === '/contract') {
        res.end(JSON.stringify({ status: 'found', record: [{ lopend: [] }] }));
      } else if (url === '/bad-names') {
        res.end(JSON.stringify({ status: 'found', record: { lopend: [], 'bsn 111222333': true } }));
      } else if (url === '/html-404') {
        res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
      } else if (url === '/redirect') {
        res.writeHead(307, { location: `https://127.0.0.1:${ports.good}/redirect-target` }).end();
      } else if (url === '/redirect-target') {
        redirectTargetHits += 1;
        res.end(JSON.stringify({ status: 'found', record: { lopend: [{ feit: 'x' }] } }));
      } else if (url === '/huge') {
        res.end(JSON.stringify({ status: 'found', record: { lopend: [], pad: 'x'.repeat(2 << 20) } }));
      }
    });
  }

  async function listen(options: ServerOptions): Promise<number> {
    const server = createServer({ ...options, requestCert: true, rejectUnauthorized: true }, source);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  beforeAll(async () => {
    await createPki(trusted);
    await createPki(other);
    const brokerOut = path.join(dir, 'broker-client');
    await issuePartnerCertificate(trusted, {
      partnerId: 'schakel-broker',
      oin: '00000001003214399000',
      organisation: 'schakel',
      out: brokerOut,
    });
    const ca = readFileSync(pkiPaths(trusted).caBundle, 'utf8');
    const mine = readServerCredentials(trusted);
    const theirs = readServerCredentials(other);
    ports.good = await listen({ cert: mine.cert, key: mine.key, ca });
    // A source whose server certificate chains to a CA the broker does not trust.
    ports.wrongCa = await listen({ cert: theirs.cert, key: theirs.key, ca });
    // A source that does not trust the broker's client certificate.
    ports.refusesBroker = await listen({ cert: mine.cert, key: mine.key, ca: theirs.ca });
    closedPort = await listen({ cert: mine.cert, key: mine.key, ca });
    const closing = servers.pop()!;
    await new Promise<void>((resolve) => closing.close(() => resolve()));

    agent = new Agent({
      connect: {
        ca,
        cert: readFileSync(issuedFiles(brokerOut).cert, 'utf8'),
        key: readFileSync(issuedFiles(brokerOut).key, 'utf8'),
      },
    });
    mtlsFetch = ((input: string | URL, init?: Parameters<typeof undiciFetch>[1]) =>
      undiciFetch(input, { ...init, dispatcher: agent })) as unknown as typeof fetch;

    const url = (port: number, p: string) => `https://127.0.0.1:${port}${p}`;
    const entries: Record<string, { url: string; categories: string[]; timeoutMs?: number }> = {
      'demo-om': { url: url(ports.good, '/ok'), categories: ['om.strafzaken'] },
      'demo-politie': { url: url(ports.good, '/ok'), categories: ['politie.registraties'] },
    };
    for (const [id, fault] of Object.entries(FAULTS)) {
      if (id === 'om-deaf') continue;
      const port =
        id === 'om-wrong-ca'
          ? ports.wrongCa
          : id === 'om-refuses-broker'
            ? ports.refusesBroker
            : id === 'om-closed-port'
              ? closedPort
              : ports.good;
      // Short adapter timeouts only where the source hangs; the rest must fail for their own reason,
      // however slow a loaded machine makes the handshakes.
      entries[id] = {
        url: url(port, fault.path),
        categories: ['om.strafzaken'],
        ...(fault.code === 'SOURCE_TIMEOUT' ? { timeoutMs: 800 } : {}),
      };
    }
    adaptersFile = path.join(dir, 'adapters.json');
    writeFileSync(adaptersFile, JSON.stringify(entries));
  }, 30_000);

  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
    await agent?.close();
  });

  describe.each(BACKENDS)('on %s', (backend) => {
    let h: Harness;
    beforeAll(async () => {
      const configured = loadConfiguredAdapters(adaptersFile, mtlsFetch);
      // An adapter that ignores its abort signal and never settles: only the broker's own deadline stops it.
      const deaf: Adapter = { categories: ['om.strafzaken'], fetch: () => new Promise(() => undefined) };
      h = await createHarness(backend, {
        adapters: (id) => (id === 'om-deaf' ? deaf : configured(id)),
        extraPartners: Object.keys(FAULTS).map((id) => ({ id, kind: 'om' as const })),
        sourceDeadlineMs: 4_000,
      });
    }, 30_000);
    afterAll(async () => {
      await h?.close();
    });

    it('answers every faulty pair with error and its reason code, and the healthy pairs still disclose', async () => {
      const caseId = await h.includedCase();
      const regisseur = asPartner('demo-politie', 'casusregisseur');
      const res = await h.call(regisseur, 'POST', '/v1/requests', {
        caseId,
        subject: { bsn: DEMO_BSN },
        purpose: 'risicotaxatie',
        categories: ['om.strafzaken', 'politie.registraties'],
      });
      expect(res.status).toBe(200);
      const items = res.body.items as Item[];
      const byHolder = new Map(items.map((i) => [`${i.holder}/${i.category}`, i]));
      for (const [id, fault] of Object.entries(FAULTS)) {
        const item = byHolder.get(`${id}/om.strafzaken`);
        expect({ id, outcome: item?.outcome, codes: item?.reasons.map((r) => r.code) }).toEqual({
          id,
          outcome: 'error',
          codes: [fault.code],
        });
        expect(item?.data).toBeUndefined();
      }
      expect(byHolder.get('demo-om/om.strafzaken')).toMatchObject({
        outcome: 'disclosed',
        data: { lopend: [{ feit: 'bedreiging' }] },
      });
      expect(byHolder.get('demo-politie/politie.registraties')).toMatchObject({
        outcome: 'disclosed',
        data: { aantal: 3, laatsteDatum: '2026-09-30' },
      });
      // The redirect was not followed: the BSN went nowhere else.
      expect(redirectTargetHits).toBe(0);

      // Every pair is logged with its outcome and reason; only the disclosed ones are in the receipt.
      const logged = h.audit.records.filter((r) => r.requestId === res.body.id);
      expect(logged).toHaveLength(items.length);
      for (const [id, fault] of Object.entries(FAULTS)) {
        expect(logged.find((r) => r.holder === id)).toMatchObject({
          outcome: 'error',
          reasonCodes: [fault.code],
        });
      }
      expect(
        h.receipts
          .at(-1)!
          .items.map((i) => i.holder)
          .sort(),
      ).toEqual(['demo-om', 'demo-politie']);
      const text = JSON.stringify(h.audit.records);
      expect(text).not.toContain(DEMO_BSN);
    }, 30_000);

    it('keeps answering later requests while the faulty sources stay faulty', async () => {
      const caseId = await h.includedCase();
      const res = await h.call(asPartner('demo-politie', 'casusregisseur'), 'POST', '/v1/requests', {
        caseId,
        subject: { bsn: DEMO_BSN },
        purpose: 'risicotaxatie',
        categories: ['om.strafzaken'],
        holders: ['demo-om', 'om-500', 'om-garbage'],
      });
      expect(res.status).toBe(200);
      expect((res.body.items as Item[]).map((i) => [i.holder, i.outcome])).toEqual([
        ['demo-om', 'disclosed'],
        ['om-500', 'error'],
        ['om-garbage', 'error'],
      ]);
    }, 30_000);
  });
});
