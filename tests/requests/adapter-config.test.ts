// SCHAKEL_ADAPTERS_FILE: each holder's transport (http, http with a native format, fhir, reference); old files still load.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CircuitOpenError } from '../../adapters/circuit-breaker.ts';
import { loadConfiguredAdapters } from '../../adapters/configured.ts';
import type { Adapter } from '../../adapters/contract.ts';
import { scratchDir } from '../support/databases.ts';

const dir = scratchDir('adapter-config');
let n = 0;
function file(content: unknown): string {
  const name = path.join(dir, `adapters-${(n += 1)}.json`);
  writeFileSync(name, JSON.stringify(content));
  return name;
}

/** A fetch answering from a function of the request body; records what it was sent. */
function fakeFetch(
  answer: (body: Record<string, unknown>, url: string) => { status: number; body: unknown },
) {
  const sent: { url: string; body: Record<string, unknown> }[] = [];
  const f = ((url: string | URL, init?: RequestInit) => {
    // A fetch resolves: answer as a promise, as the real one does.
    const body = JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as Record<string, unknown>;
    sent.push({ url: String(url), body });
    const a = answer(body, String(url));
    return Promise.resolve(
      new Response(JSON.stringify(a.body), {
        status: a.status,
        headers: { 'content-type': 'application/json' },
      }),
    );
  }) as typeof fetch;
  return Object.assign(f, { sent });
}

const query = (category: string) => ({ requestId: 'r-1', category, bsn: '111222333' });
const signal = () => new AbortController().signal;

describe('the adapters file', () => {
  it('still loads a file without transports as HTTP sources of the canonical API', async () => {
    const fetch = fakeFetch(() => ({ status: 200, body: { status: 'found', record: { aantal: 1 } } }));
    const adapters = loadConfiguredAdapters(
      file({ 'demo-politie': { url: 'https://politie.example/q', categories: ['politie.registraties'] } }),
      fetch,
    );
    expect(await adapters('demo-politie')?.fetch(query('politie.registraties'), signal())).toEqual({
      status: 'found',
      record: { aantal: 1 },
    });
    expect(fetch.sent[0]).toEqual({
      url: 'https://politie.example/q',
      body: { category: 'politie.registraties', subject: { bsn: '111222333' } },
    });
    expect(adapters('demo-om')).toBeUndefined();
  });

  it('maps a native format over HTTP through the partner adapter', async () => {
    const fetch = fakeFetch((body) =>
      body.document === 'wapenvergunningen'
        ? { status: 200, body: { status: 'found', document: { vergunningen: [] } } }
        : { status: 404, body: { status: 'not_found' } },
    );
    const adapters = loadConfiguredAdapters(
      file({
        'demo-politie': {
          transport: 'http',
          format: 'politie',
          url: 'https://politie.example/document',
          categories: ['politie.wapenvergunning', 'politie.registraties'],
          retries: 0,
        },
      }),
      fetch,
    );
    const politie = adapters('demo-politie')!;
    expect(await politie.fetch(query('politie.wapenvergunning'), signal())).toEqual({
      status: 'found',
      record: { heeftVergunning: false },
    });
    expect(await politie.fetch(query('politie.registraties'), signal())).toEqual({ status: 'not_found' });
    expect(fetch.sent.map((s) => s.body.document)).toEqual(['wapenvergunningen', 'bvh-registraties']);
  });

  it('puts every remote source behind its own circuit breaker', async () => {
    const fetch = fakeFetch(() => ({ status: 500, body: {} }));
    const adapters = loadConfiguredAdapters(
      file({ 'demo-om': { url: 'https://om.example/q', categories: ['om.strafzaken'] } }),
      fetch,
      { breaker: { failureThreshold: 2 } },
    );
    const om = adapters('demo-om')!;
    for (let i = 0; i < 2; i += 1) await expect(om.fetch(query('om.strafzaken'), signal())).rejects.toThrow();
    await expect(om.fetch(query('om.strafzaken'), signal())).rejects.toBeInstanceOf(CircuitOpenError);
    expect(fetch.sent).toHaveLength(2);
  });

  it('builds reference sources from the given store, without a breaker', () => {
    const made: [string, readonly string[]][] = [];
    const reference = (holder: string, categories: readonly string[]): Adapter => {
      made.push([holder, categories]);
      return { categories, fetch: () => Promise.resolve({ status: 'not_found' }) };
    };
    const adapters = loadConfiguredAdapters(
      file({ 'demo-kmar': { transport: 'reference', categories: ['kmar.grensbewegingen'] } }),
      fakeFetch(() => ({ status: 500, body: {} })),
      { reference },
    );
    expect(made).toEqual([['demo-kmar', ['kmar.grensbewegingen']]]);
    expect(adapters('demo-kmar')).not.toHaveProperty('state');
  });

  it.each([
    [
      'a FHIR source for a category FHIR does not answer',
      {
        'demo-ggz': {
          transport: 'fhir',
          url: 'https://ggz.example/fhir',
          categories: ['ggz.risicosamenvatting'],
        },
      },
      /demo-ggz/,
    ],
    [
      'a plain-HTTP url',
      { 'demo-om': { url: 'http://om.example/q', categories: ['om.strafzaken'] } },
      /demo-om/,
    ],
    [
      'a reference source without a store',
      { 'demo-om': { transport: 'reference', categories: ['om.strafzaken'] } },
      /no reference store/,
    ],
    [
      'an unknown transport',
      { 'demo-om': { transport: 'ftp', url: 'https://om.example', categories: ['om.strafzaken'] } },
      /demo-om/,
    ],
    [
      'a native format for categories the partner does not hold',
      { 'demo-om': { format: 'om', url: 'https://om.example/d', categories: ['politie.registraties'] } },
      /politie.registraties/,
    ],
    [
      'a url on a reference source',
      { 'demo-om': { transport: 'reference', url: 'https://om.example', categories: ['om.strafzaken'] } },
      /demo-om/,
    ],
  ])('refuses %s at start-up, naming the entry', (_what, content, message) => {
    expect(() =>
      loadConfiguredAdapters(
        file(content),
        fakeFetch(() => ({ status: 200, body: {} })),
      ),
    ).toThrow(message);
  });
});
