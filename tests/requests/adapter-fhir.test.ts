// GGZ over FHIR R4: fixtures shaped like HL7's R4 examples pass the official schema; the broker's GGZ adapter
// asks a simulated FHIR server over real mutual TLS, and in care / not in care look alike to the requester.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguredAdapters } from '../../adapters/configured.ts';
import { AdapterProtocolError, type Adapter } from '../../adapters/contract.ts';
import { createFhirClient } from '../../adapters/fhir/fhir-client.ts';
import { checkR4 } from '../../adapters/fhir/r4-schema.ts';
import { createGgzFhirAdapter } from '../../adapters/ggz/ggz-fhir-adapter.ts';
import { pkiPaths, readServerCredentials } from '../../keys/dev-pki.ts';
import { issuePartnerCertificate, issuedFiles } from '../../keys/issue.ts';
import { createPki } from '../../keys/pki-setup.ts';
import { BACKENDS, scratchDir } from '../support/databases.ts';
import {
  BSN_DISCHARGED,
  BSN_IN_CARE,
  careTeam,
  episodeOfCare,
  patient,
  practitioner,
  searchset,
} from '../support/fhir-fixtures.ts';
import { startFhirSimulator, type FhirSimulator } from '../support/fhir-simulator.ts';
import { asPartner } from '../support/test-caller.ts';
import { createHarness, MELDING, type Harness, type Item } from './harness.ts';

const UNKNOWN_BSN = '999999990';

describe('FHIR R4 resources against the official schema', () => {
  it.each([
    ['Patient', patient('example', BSN_IN_CARE)],
    ['EpisodeOfCare', episodeOfCare('example', 'example', 'active')],
    ['CareTeam', careTeam('example')],
    ['Practitioner', practitioner()],
    ['Bundle', searchset([patient('example', BSN_IN_CARE)], [practitioner()])],
  ] as const)('accepts a %s shaped like the HL7 example', (type, resource) => {
    expect(checkR4(resource, type)).toBe(resource);
  });

  it.each([
    ['an unknown gender code', { ...patient('x', BSN_IN_CARE), gender: 'onbekend' }, 'Patient'],
    ['a property R4 does not define', { ...patient('x', BSN_IN_CARE), bsn: BSN_IN_CARE }, 'Patient'],
    [
      'an invalid date',
      { ...episodeOfCare('x', 'x', 'active'), period: { start: '14-03-2025' } },
      'EpisodeOfCare',
    ],
    [
      'an episode status outside the value set',
      { ...episodeOfCare('x', 'x', 'active'), status: 'lopend' },
      'EpisodeOfCare',
    ],
    [
      'a searchset with a broken entry',
      searchset([{ ...patient('x', BSN_IN_CARE), active: 'ja' } as never]),
      'Bundle',
    ],
    ['another resource type than asked', practitioner(), 'Patient'],
  ] as const)('refuses a resource with %s (SOURCE_INVALID_ANSWER)', (_what, resource, type) => {
    expect(() => checkR4(resource, type)).toThrow(AdapterProtocolError);
  });

  it('names where the resource failed, never the value', () => {
    expect(() => checkR4({ ...patient('x', BSN_IN_CARE), gender: 'onbekend' }, 'Patient')).toThrow(
      /\.gender/,
    );
    try {
      checkR4(searchset([{ ...patient('x', BSN_IN_CARE), gender: 'onbekend' } as never]), 'Bundle');
    } catch (error) {
      expect(String(error)).not.toContain(BSN_IN_CARE);
      expect(String(error)).not.toContain('onbekend');
    }
  });
});

describe('the GGZ adapter over a FHIR server with mutual TLS', () => {
  const dir = scratchDir('adapter-fhir');
  const pki = path.join(dir, 'pki');
  let simulator: FhirSimulator;
  let agent: Agent;
  let mtlsFetch: typeof fetch;
  let ggz: Adapter;

  beforeAll(async () => {
    await createPki(pki);
    const brokerOut = path.join(dir, 'broker-client');
    await issuePartnerCertificate(pki, {
      partnerId: 'schakel-broker',
      oin: '00000001003214399000',
      organisation: 'schakel',
      out: brokerOut,
    });
    const ca = readFileSync(pkiPaths(pki).caBundle, 'utf8');
    const server = readServerCredentials(pki);
    simulator = await startFhirSimulator({ cert: server.cert, key: server.key, ca });
    agent = new Agent({
      connect: {
        ca,
        cert: readFileSync(issuedFiles(brokerOut).cert, 'utf8'),
        key: readFileSync(issuedFiles(brokerOut).key, 'utf8'),
      },
    });
    mtlsFetch = ((input: string | URL, init?: Parameters<typeof undiciFetch>[1]) =>
      undiciFetch(input, { ...init, dispatcher: agent })) as unknown as typeof fetch;
    ggz = createGgzFhirAdapter({
      client: createFhirClient({ baseUrl: simulator.baseUrl(), fetch: mtlsFetch }),
    });
  }, 60_000);

  afterAll(async () => {
    await simulator?.close();
    await agent?.close();
  });

  const ask = (adapter: Adapter, category: string, bsn: string) =>
    adapter.fetch({ requestId: 'r-fhir', category, bsn }, new AbortController().signal);

  it('finds the patient by BSN and answers in care from the active EpisodeOfCare', async () => {
    expect(await ask(ggz, 'ggz.bekend', BSN_IN_CARE)).toEqual({
      status: 'found',
      record: { inZorg: true, sinds: '2025-03-14', instelling: 'GGZ Demo' },
    });
  });

  it('answers a discharged patient and a stranger with the same shape: inZorg false', async () => {
    const discharged = await ask(ggz, 'ggz.bekend', BSN_DISCHARGED);
    const stranger = await ask(ggz, 'ggz.bekend', UNKNOWN_BSN);
    expect(discharged).toEqual({ status: 'found', record: { inZorg: false } });
    expect(stranger).toEqual(discharged);
  });

  it('gives the treating professional from the CareTeam and the Practitioner', async () => {
    expect(await ask(ggz, 'ggz.behandelaar', BSN_IN_CARE)).toEqual({
      status: 'found',
      record: {
        naam: 'Dr. A. Voorbeeld',
        functie: 'psychiater',
        telefoon: '030-0000000',
        instelling: 'GGZ Demo',
      },
    });
    expect(await ask(ggz, 'ggz.behandelaar', BSN_DISCHARGED)).toEqual({ status: 'not_found' });
  });

  it('sends the BSN only in a POST _search body, never in a URL, always with the broker certificate', () => {
    expect(simulator.interactions.length).toBeGreaterThan(0);
    for (const interaction of simulator.interactions) {
      expect(interaction.url).not.toContain(BSN_IN_CARE);
      expect(interaction.url).not.toContain(BSN_DISCHARGED);
      expect(interaction.client).toContain('schakel');
    }
    expect(
      simulator.interactions.filter((i) => i.url.includes('/fhir/Patient')).every((i) => i.method === 'POST'),
    ).toBe(true);
  });

  it('refuses a server answer outside the R4 schema with SOURCE_INVALID_ANSWER', async () => {
    const broken = createGgzFhirAdapter({
      client: createFhirClient({ baseUrl: simulator.baseUrl('broken'), fetch: mtlsFetch }),
    });
    await expect(ask(broken, 'ggz.bekend', BSN_IN_CARE)).rejects.toMatchObject({
      reason: 'SOURCE_INVALID_ANSWER',
    });
  });

  describe.each(BACKENDS)('through the request flow on %s', (backend) => {
    let h: Harness;
    beforeAll(async () => {
      const file = path.join(dir, `adapters-${backend}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          'demo-ggz': {
            transport: 'fhir',
            url: simulator.baseUrl(),
            categories: ['ggz.bekend', 'ggz.behandelaar'],
          },
        }),
      );
      const configured = loadConfiguredAdapters(file, mtlsFetch);
      h = await createHarness(backend, { adapters: configured });
    }, 60_000);
    afterAll(async () => {
      await h?.close();
    });

    const regisseur = asPartner('demo-politie', 'casusregisseur');
    const behandelaar = asPartner('demo-ggz', 'behandelaar');

    /** Opens a case about `bsn`, asks ggz.bekend, has the behandelaar release it on a statutory ground. */
    async function releasedBekend(bsn: string): Promise<Item> {
      const opened = await h.call(regisseur, 'POST', '/v1/cases', { subject: { bsn }, melding: MELDING });
      const caseId = opened.body.id as string;
      await h.call(regisseur, 'POST', `/v1/cases/${caseId}/members`, {
        partner: 'demo-ggz',
        role: 'behandelaar',
      });
      await h.call(regisseur, 'POST', `/v1/cases/${caseId}/events`, {
        type: 'inclusiebesluit',
        data: { besluit: 'in' },
      });
      const asked = await h.call(regisseur, 'POST', '/v1/requests', {
        caseId,
        subject: { bsn },
        purpose: 'risicotaxatie',
        categories: ['ggz.bekend'],
      });
      expect((asked.body.items as Item[])[0]).toMatchObject({ outcome: 'pending_review' });
      const queue = (await h.call(behandelaar, 'GET', '/v1/reviews')).body as unknown as {
        id: string;
        requestId: string;
      }[];
      const review = queue.find((r) => r.requestId === asked.body.id)!;
      const released = await h.call(behandelaar, 'POST', `/v1/reviews/${review.id}/decision`, {
        decision: 'release',
        ground: 'wettelijk_voorschrift',
        provision: 'Wvggz art. 8:29',
      });
      expect(released.status).toBe(200);
      const after = await h.call(regisseur, 'GET', `/v1/requests/${asked.body.id as string}`);
      return (after.body.items as Item[])[0]!;
    }

    it('discloses in care and not in care in the same outward shape', async () => {
      const inCare = await releasedBekend(BSN_IN_CARE);
      const notInCare = await releasedBekend(UNKNOWN_BSN);
      expect(inCare).toMatchObject({ outcome: 'disclosed', data: { inZorg: true } });
      expect(notInCare).toMatchObject({ outcome: 'disclosed', data: { inZorg: false } });
      const shape = (i: Item) => ({
        outcome: i.outcome,
        keys: Object.keys(i).sort(),
        dataKeys: Object.keys(i.data ?? {}).sort(),
        reasons: i.reasons.map((r) => r.code),
      });
      expect(shape(notInCare)).toEqual(shape(inCare));
    });
  });
});
