// `schakel serve` with production-style sources: every holder's system is an HTTPS partner simulator the
// broker reaches with its own client certificate; only permitted pairs are fetched, and a hanging holder is an error.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../support/databases.ts';
import { startPartnerSimulator, type PartnerSimulator } from '../support/partner-simulator.ts';
import { runSchakel, startServe, type ServeHandle } from '../support/processes.ts';
import { openIncludedCase } from './open-case.ts';
import { prepareSourcePki } from './source-pki.ts';
import { partnerClients, type Answer, type PartnerClients } from './partner-client.ts';

const BSN = '111222333';

interface Item {
  category: string;
  holder: string;
  outcome: string;
  data?: Record<string, unknown>;
  reasons: { code: string }[];
}
const item = (answer: Answer, category: string): Item =>
  (answer.body.items as Item[]).find((i) => i.category === category)!;

describe('schakel serve with HTTPS partner sources over mutual TLS', () => {
  const cwd = scratchDir('sources-e2e');
  const pki = path.join(cwd, 'var/pki');
  let simulator: PartnerSimulator;
  let broker: ServeHandle;
  let clients: PartnerClients;

  beforeAll(async () => {
    const prepared = await prepareSourcePki(cwd);
    const clientDir = prepared.clientDir;
    simulator = await startPartnerSimulator(prepared.serverTls);
    const sources = {
      'demo-politie': {
        url: simulator.url('demo-politie'),
        categories: ['politie.registraties', 'politie.wapenvergunning'],
      },
      'demo-om': { url: simulator.url('demo-om'), categories: ['om.strafzaken'] },
      'demo-ggz': { url: simulator.url('demo-ggz'), categories: ['ggz.bekend'] },
      'demo-dkdb': {
        url: simulator.url('demo-dkdb'),
        categories: ['dkdb.beveiligingsmaatregelen', 'dkdb.naderingen'],
      },
      'demo-kmar': {
        url: simulator.url('demo-kmar', 'hang'),
        categories: ['kmar.grensbewegingen'],
        timeoutMs: 300,
      },
    };
    const adaptersFile = path.join(cwd, 'adapters.json');
    writeFileSync(adaptersFile, JSON.stringify(sources));
    broker = await startServe({
      cwd,
      env: {
        SCHAKEL_LOG_PRETTY: 'false',
        SCHAKEL_ADAPTERS_FILE: adaptersFile,
        SCHAKEL_ADAPTER_CLIENT_CERT_FILE: path.join(clientDir, 'cert.pem'),
        SCHAKEL_ADAPTER_CLIENT_KEY_FILE: path.join(clientDir, 'key.pem'),
        // The sources' server certificates chain to the dev CA.
        NODE_EXTRA_CA_CERTS: path.join(pki, 'ca.pem'),
      },
    });
    clients = partnerClients(pki, broker.port);
  }, 90_000);
  afterAll(async () => {
    await clients?.close();
    await broker?.stop('SIGKILL');
    await simulator?.close();
  });

  it('fetches only permitted pairs, with the broker certificate, and answers a hanging holder with error', async () => {
    const regisseur = clients.as('demo-politie', 'casusregisseur');
    const caseId = await openIncludedCase(regisseur, BSN, 'demo-ggz');

    const answer = await regisseur.post('/v1/requests', {
      caseId,
      subject: { bsn: BSN },
      purpose: 'risicotaxatie',
      categories: [
        'politie.registraties',
        'om.strafzaken',
        'kmar.grensbewegingen',
        'ggz.bekend',
        'dkdb.beveiligingsmaatregelen',
      ],
    });
    expect(answer.status).toBe(200);
    expect(item(answer, 'politie.registraties')).toMatchObject({ outcome: 'disclosed', data: { aantal: 3 } });
    expect(item(answer, 'om.strafzaken')).toMatchObject({
      outcome: 'disclosed',
      data: { lopend: [{ feit: 'bedreiging' }] },
    });
    expect(item(answer, 'kmar.grensbewegingen')).toMatchObject({
      outcome: 'error',
      reasons: [expect.objectContaining({ code: 'SOURCE_TIMEOUT' })],
    });
    expect(item(answer, 'ggz.bekend').outcome).toBe('pending_review');
    expect(item(answer, 'dkdb.beveiligingsmaatregelen').outcome).toBe('denied');

    const asked = simulator.queries.map((q) => `${q.holder}/${q.category}`).sort();
    // Denied and pending pairs are never fetched: the holder's system is not even asked.
    expect(asked).toEqual([
      'demo-kmar/kmar.grensbewegingen',
      'demo-om/om.strafzaken',
      'demo-politie/politie.registraties',
    ]);
    expect(new Set(simulator.queries.map((q) => q.client))).toEqual(
      new Set([expect.stringContaining('schakel')]),
    );

    // Once the behandelaar releases, the GGZ system is asked, and only then.
    const review = (
      (await clients.as('demo-ggz', 'behandelaar').get('/v1/reviews')).body as unknown as {
        id: string;
        requestId: string;
      }[]
    ).find((r) => r.requestId === answer.body.id)!;
    const released = await clients.as('demo-ggz', 'behandelaar').post(`/v1/reviews/${review.id}/decision`, {
      decision: 'release',
      ground: 'wettelijk_voorschrift',
      provision: 'Wvggz art. 8:29',
    });
    expect(released.status).toBe(200);
    const after = await regisseur.get(`/v1/requests/${answer.body.id as string}`);
    expect(item(after, 'ggz.bekend')).toMatchObject({ outcome: 'disclosed', data: { inZorg: true } });
    expect(simulator.queries.filter((q) => q.holder === 'demo-ggz').map((q) => q.category)).toEqual([
      'ggz.bekend',
    ]);
  });

  it('leaves a log that verifies', async () => {
    expect(await broker.stop('SIGTERM')).toBe(0);
    expect((await runSchakel(['audit', 'verify'], { cwd })).code).toBe(0);
    expect(broker.output()).not.toContain(BSN);
  }, 60_000);
});
