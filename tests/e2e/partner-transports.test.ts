// `schakel serve` with a GGZ FHIR R4 source (a simulator over mutual TLS, trusted through SCHAKEL_ADAPTER_CA_FILE only)
// and a KMar source from the reference store loaded by `schakel reference import`.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../support/databases.ts';
import { startFhirSimulator, type FhirSimulator } from '../support/fhir-simulator.ts';
import { runSchakel, startServe, type ServeHandle } from '../support/processes.ts';
import { openIncludedCase } from './open-case.ts';
import { prepareSourcePki } from './source-pki.ts';
import { partnerClients, type Answer, type PartnerClients } from './partner-client.ts';

const BSN = '111222333';

interface Item {
  category: string;
  outcome: string;
  data?: Record<string, unknown>;
  reasons: { code: string }[];
}
const item = (answer: Answer, category: string): Item =>
  (answer.body.items as Item[]).find((i) => i.category === category)!;

describe('schakel serve with FHIR and reference sources', () => {
  const cwd = scratchDir('transports-e2e');
  const pki = path.join(cwd, 'var/pki');
  let simulator: FhirSimulator;
  let broker: ServeHandle;
  let clients: PartnerClients;

  beforeAll(async () => {
    const prepared = await prepareSourcePki(cwd);
    const clientDir = prepared.clientDir;
    simulator = await startFhirSimulator(prepared.serverTls);
    // A first start seeds the demo partners; the extract is loaded while the broker is stopped (PGlite).
    const seeding = await startServe({ cwd, env: { SCHAKEL_LOG_PRETTY: 'false' } });
    expect(await seeding.stop('SIGTERM')).toBe(0);
    const extract = path.join(cwd, 'kmar-extract.json');
    writeFileSync(
      extract,
      JSON.stringify({
        format: 'native',
        categories: ['kmar.grensbewegingen'],
        documents: [
          {
            bsn: BSN,
            document: 'kmar-grenspassages',
            content: {
              passages: [
                { tijdstip: '2026-08-02T09:15:00+02:00', grensdoorlaatpost: 'Schiphol', richting: 'uitreis' },
              ],
            },
          },
        ],
      }),
    );
    const imported = await runSchakel(['reference', 'import', '--holder', 'demo-kmar', '--file', extract], {
      cwd,
    });
    expect(imported.code, imported.stderr).toBe(0);

    const adaptersFile = path.join(cwd, 'adapters.json');
    writeFileSync(
      adaptersFile,
      JSON.stringify({
        'demo-ggz': {
          transport: 'fhir',
          url: simulator.baseUrl(),
          categories: ['ggz.bekend', 'ggz.behandelaar'],
        },
        'demo-kmar': { transport: 'reference', categories: ['kmar.grensbewegingen'] },
      }),
    );
    broker = await startServe({
      cwd,
      timeoutMs: 60_000,
      env: {
        SCHAKEL_LOG_PRETTY: 'false',
        SCHAKEL_ADAPTERS_FILE: adaptersFile,
        SCHAKEL_ADAPTER_CLIENT_CERT_FILE: path.join(clientDir, 'cert.pem'),
        SCHAKEL_ADAPTER_CLIENT_KEY_FILE: path.join(clientDir, 'key.pem'),
        // The FHIR server's certificate chains to the dev CA: trusted through this setting alone.
        SCHAKEL_ADAPTER_CA_FILE: path.join(pki, 'ca.pem'),
      },
    });
    clients = partnerClients(pki, broker.port);
  }, 180_000);
  afterAll(async () => {
    await clients?.close();
    await broker?.stop('SIGKILL');
    await simulator?.close();
  });

  it('answers kmar from the imported extract and ggz.bekend from FHIR once the behandelaar releases it', async () => {
    const regisseur = clients.as('demo-politie', 'casusregisseur');
    const caseId = await openIncludedCase(regisseur, BSN, 'demo-ggz');
    const answer = await regisseur.post('/v1/requests', {
      caseId,
      subject: { bsn: BSN },
      purpose: 'risicotaxatie',
      categories: ['kmar.grensbewegingen', 'ggz.bekend'],
    });
    expect(answer.status).toBe(200);
    expect(item(answer, 'kmar.grensbewegingen')).toMatchObject({
      outcome: 'disclosed',
      data: { laatsteBeweging: '2026-08-02' },
    });
    expect(item(answer, 'ggz.bekend').outcome).toBe('pending_review');
    // Pending: the GGZ system has not been asked anything yet.
    expect(simulator.interactions).toEqual([]);

    const behandelaar = clients.as('demo-ggz', 'behandelaar');
    const review = (
      (await behandelaar.get('/v1/reviews')).body as unknown as { id: string; requestId: string }[]
    ).find((r) => r.requestId === answer.body.id)!;
    const released = await behandelaar.post(`/v1/reviews/${review.id}/decision`, {
      decision: 'release',
      ground: 'wettelijk_voorschrift',
      provision: 'Wvggz art. 8:29',
    });
    expect(released.status).toBe(200);
    const after = await regisseur.get(`/v1/requests/${answer.body.id as string}`);
    expect(item(after, 'ggz.bekend')).toMatchObject({ outcome: 'disclosed', data: { inZorg: true } });
    expect(simulator.interactions.length).toBeGreaterThan(0);
    for (const interaction of simulator.interactions) {
      expect(interaction.client).toContain('schakel');
      expect(interaction.url).not.toContain(BSN);
    }
  });

  it('leaves a log that verifies and never logs the BSN', async () => {
    expect(await broker.stop('SIGTERM')).toBe(0);
    expect((await runSchakel(['audit', 'verify'], { cwd })).code).toBe(0);
    expect(broker.output()).not.toContain(BSN);
  }, 60_000);
});
