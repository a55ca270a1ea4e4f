// Fuzzing the partner API through app.request(): hostile bodies, headers, tokens and certificates; no 5xx, no crash, no unlogged disclosure.
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintUserToken } from '../../broker/identity/user-token.ts';
import { TEST_MELDING } from '../e2e/open-case.ts';
import { BACKENDS } from '../support/databases.ts';
import {
  DEMO_BSN,
  expectDisclosuresLogged,
  expectWellFormed,
  openFuzzApi,
  type FuzzApi,
} from './api-fixture.ts';

/** Cases per property; the file prints the total it ran. */
const RUNS = {
  bodies: 2_000,
  headers: 1_000,
  tokens: 1_000,
  certificates: 1_000,
  ids: 600,
  queries: 300,
  members: 12,
};
let cases = 0;
let disclosedChecked = 0;

/** Who sends a template: the politie casusregisseur, or the GGZ behandelaar (consents, care status). */
type Sender = 'politie' | 'ggz';

/** A valid body per POST route (ids filled in once the case exists). */
function templates(caseId: string): { path: string; body: unknown; sender?: Sender }[] {
  return [
    { path: '/v1/cases', body: { subject: { bsn: DEMO_BSN }, melding: TEST_MELDING } },
    { path: `/v1/cases/${caseId}/members`, body: { partner: 'demo-kmar', role: 'analist' } },
    { path: `/v1/cases/${caseId}/events`, body: { type: 'inclusiebesluit', data: { besluit: 'in' } } },
    {
      path: `/v1/cases/${caseId}/events`,
      body: {
        type: 'risicotaxatie_afgerond',
        data: {
          instrument: 'VERA-2R',
          intentie: 'laag',
          potentie: 'midden',
          concreetheid: 'laag',
          zorgniveau: 'midden',
          volgendeBeoordeling: '2027-01-01',
        },
      },
    },
    {
      path: `/v1/cases/${caseId}/events`,
      body: { type: 'zorgstatus_gewijzigd', data: { van: 'niet_in_zorg', naar: 'in_zorg' } },
      sender: 'ggz',
    },
    {
      // The holder records the consent, so the body gets past the permission check to the log.
      path: '/v1/consents',
      body: {
        subject: { bsn: DEMO_BSN },
        grantedBy: 'betrokkene',
        evidence: 'getekend formulier',
        recipients: ['demo-om', 'politie'],
        purposes: ['risicotaxatie'],
        categories: ['ggz.bekend'],
        validFrom: '2026-01-01T00:00:00Z',
        validUntil: '2027-01-01T00:00:00.000+01:00',
      },
      sender: 'ggz',
    },
    {
      path: '/v1/requests',
      body: {
        caseId,
        subject: { bsn: DEMO_BSN },
        purpose: 'risicotaxatie',
        categories: ['om.strafzaken', 'ggz.bekend', 'politie.registraties'],
      },
    },
    {
      path: '/v1/requests',
      body: {
        subject: { bsn: DEMO_BSN },
        purpose: 'acuut_gevaar',
        categories: ['om.strafzaken'],
        justification: 'dreiging nu',
      },
    },
    {
      path: '/v1/reviews/00000000-0000-4000-8000-000000000000/decision',
      body: { decision: 'release', ground: 'toestemming' },
    },
    {
      path: '/access/v1/evaluation',
      body: {
        subject: { type: 'user', id: 'u-1' },
        resource: { type: 'category', id: 'ggz.bekend', properties: { caseId, bsn: DEMO_BSN } },
        action: { name: 'risicotaxatie' },
      },
    },
    {
      path: '/v1/breakglass/00000000-0000-4000-8000-000000000000/review',
      body: { verdict: 'justified', note: 'x' },
    },
  ];
}

/** Every path into a JSON value, for mutation. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => pathsOf(v, [...prefix, i]))];
  if (typeof value === 'object' && value !== null) {
    return [prefix, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  }
  return [prefix];
}

type Mutation = { kind: 'replace' | 'delete' | 'add' | 'leaf'; at: number; value: unknown; key: string };

/** Whether `path` leads to a value that is neither an object nor a list. */
const isLeaf = (path: (string | number)[], all: (string | number)[][]) =>
  path.length > 0 && !all.some((q) => q.length === path.length + 1 && path.every((step, i) => q[i] === step));

/** Applies a mutation; `leaf` replaces one of the values that are neither objects nor lists. */
function mutate(template: unknown, m: Mutation): unknown {
  const copy = structuredClone(template) as Record<string, unknown>;
  const all = pathsOf(copy);
  const paths = m.kind === 'leaf' ? all.filter((p) => isLeaf(p, all)) : all;
  const target = paths[m.at % paths.length]!;
  if (target.length === 0) return m.kind === 'replace' ? m.value : copy;
  let parent: Record<string | number, unknown> = copy;
  for (const step of target.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = target.at(-1)!;
  if (m.kind === 'replace' || m.kind === 'leaf') parent[last] = m.value;
  else if (m.kind === 'delete') delete parent[last];
  else if (typeof parent === 'object' && !Array.isArray(parent)) {
    // Defined as an own property: `__proto__` and `constructor` travel as keys, as an attacker sends them.
    Object.defineProperty(parent, m.key, {
      value: m.value,
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  return copy;
}

/** An ISO 8601 date or date-time with any year JavaScript can hold and any number of fractional digits. */
const isoEdgeDate = fc
  .record({
    year: fc.oneof(fc.integer({ min: -271_821, max: 275_760 }), fc.constantFrom(0, 1, 9999, 10_000)),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    time: fc.boolean(),
    fraction: fc.stringMatching(/^[0-9]{0,12}$/),
    offset: fc.constantFrom('Z', '+01:00', '-02:00', '+14:00', ''),
  })
  .map(({ year, month, day, time, fraction, offset }) => {
    const y =
      year >= 0 && year <= 9999
        ? String(year).padStart(4, '0')
        : `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}`;
    const date = `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    return time ? `${date}T00:00:00${fraction === '' ? '' : `.${fraction}`}${offset}` : date;
  });

/**
 * Strings that look harmless to a schema and have each made the broker fail: names every object
 * inherits (as enum-like codes), dates PostgreSQL refuses, fractions that read as a BSN, and a BSN
 * inside an id or a text.
 */
const edgeString = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'toString',
    'constructor',
    'hasOwnProperty',
    'valueOf',
    'prototype',
    '0000-01-01',
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:00:00+01:00',
    '9999-12-31T23:00:00-02:00',
    '-000001-01-01',
    '+275760-09-13',
    '-271821-04-20T00:00:00Z',
    '2026-01-01T00:00:00.111222333+01:00',
    '2026-01-01T00:00:00.1234567Z',
    '111222333',
    'team-111222333',
    'gemeld door 111222333',
    '111222333 ',
  ),
  isoEdgeDate,
);

const hostileString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  edgeString,
  fc.constantFrom(
    '',
    ' ',
    '111222333',
    '123456782',
    '000000000',
    "' or 1=1 --",
    '"; drop table audit_entries; --',
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '\u0000',
    '\u202e',
    '𝕊𝕔𝕙𝕒𝕜𝕖𝕝',
    'ggz.bekend',
    'a'.repeat(70_000),
  ),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, 0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, [], {}),
  fc.constant({ __proto__: { admin: true } }),
);
const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('replace', 'delete', 'add'),
  at: fc.nat(),
  value: hostileValue,
  key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'data'), fc.string()),
});

/** A body: a mutated valid one, one with a single field set to an edge string, random JSON, random text, or raw bytes. */
const bodyArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.nat(), fc.array(mutationArb, { minLength: 1, maxLength: 3 }))
      .map(([t, ms]) => ({ t, ms, raw: undefined as string | Uint8Array | undefined })),
  },
  {
    // One value of a valid body replaced, so the rest still passes and the edge string travels as
    // far as the database and the log.
    weight: 4,
    arbitrary: fc.tuple(fc.nat(), fc.nat(), edgeString).map(([t, at, value]) => ({
      t,
      ms: [{ kind: 'leaf', at, value, key: '' }] as Mutation[],
      raw: undefined as string | Uint8Array | undefined,
    })),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 4 })).map(([t, v]) => ({
      t,
      ms: [] as Mutation[],
      raw: JSON.stringify(v),
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.nat(), fc.string({ unit: 'grapheme', maxLength: 200 }))
      .map(([t, s]) => ({ t, ms: [] as Mutation[], raw: s })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.nat(), fc.uint8Array({ maxLength: 200 }))
      .map(([t, b]) => ({ t, ms: [] as Mutation[], raw: b })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.nat(),
        fc.constantFrom(
          '{"__proto__":{"isAdmin":true}}',
          '{"constructor":{"prototype":{"x":1}}}',
          '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
          `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`,
          '{"subject":{"bsn":"111222333"},"subject":{"bsn":"123456782"}}',
          '\uFEFF{}',
          'null',
          '1e999999',
        ),
      )
      .map(([t, s]) => ({ t, ms: [] as Mutation[], raw: s })),
  },
);

/** Header values as a client could send them: any bytes but CR, LF and NUL, read as Latin-1. */
const headerValue = fc
  .oneof(
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.string({ minLength: 4_000, maxLength: 8_000 }),
  )
  .map((s) =>
    Buffer.from(s, 'utf8')
      .toString('latin1')
      .replace(/[\r\n\0]/g, '')
      .trim(),
  );

describe.each(BACKENDS)('fuzzing the partner API on %s', (backend) => {
  let api: FuzzApi;
  let token = '';
  let ggzToken = '';
  let caseId = '';
  const send = (
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array } = {},
  ) =>
    api.app.request(`http://broker${path}`, {
      method: init.method ?? 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body as BodyInit }),
    });
  /** Sends as the GGZ system's behandelaar (its certificate and token), then hands the connection back to the politie. */
  const sendAsGgz = async (path: string, body: string | Uint8Array) => {
    const politie = api.peer;
    api.peer = { raw: api.ggz.raw, authorized: true };
    try {
      return await send(path, { body, headers: { authorization: `Bearer ${ggzToken}` } });
    } finally {
      api.peer = politie;
    }
  };

  beforeAll(async () => {
    cases = 0;
    disclosedChecked = 0;
    api = await openFuzzApi(backend);
    token = await mintUserToken({
      key: api.tokenKey,
      partnerId: 'demo-politie',
      user: 'fuzzer',
      role: 'casusregisseur',
      x5tS256: api.x5tS256,
      ttlSeconds: 600,
    });
    ggzToken = await mintUserToken({
      key: api.ggz.tokenKey,
      partnerId: 'demo-ggz',
      user: 'fuzzer-ggz',
      role: 'behandelaar',
      x5tS256: api.ggz.x5tS256,
      ttlSeconds: 600,
    });
    const opened = await expectWellFormed(
      await send('/v1/cases', {
        body: JSON.stringify({ subject: { bsn: DEMO_BSN }, melding: TEST_MELDING }),
      }),
    );
    caseId = opened!.id as string;
    for (const member of [
      { partner: 'demo-ggz', role: 'behandelaar' },
      { partner: 'demo-om', role: 'officier' },
    ]) {
      await expectWellFormed(await send(`/v1/cases/${caseId}/members`, { body: JSON.stringify(member) }));
    }
    await expectWellFormed(
      await send(`/v1/cases/${caseId}/events`, {
        body: JSON.stringify({ type: 'inclusiebesluit', data: { besluit: 'in' } }),
      }),
    );
  }, 60_000);
  afterAll(async () => {
    await api.close();
    console.log(
      `fuzz (${backend}): ${cases} API cases, ${disclosedChecked} disclosed items checked against the log`,
    );
  });

  it('answers every hostile body on every POST route with a result or a problem+json, never a 5xx or an unlogged disclosure', async () => {
    // The valid bodies themselves pass (so the mutations start from something the API accepts).
    const valid = await expectWellFormed(
      await send('/v1/requests', {
        body: JSON.stringify(templates(caseId).find((t) => t.path === '/v1/requests')!.body),
      }),
    );
    expect((valid!.items as { outcome: string }[]).map((i) => i.outcome)).toContain('disclosed');
    for (const template of templates(caseId).filter((t) => t.sender === 'ggz')) {
      expect((await sendAsGgz(template.path, JSON.stringify(template.body))).status, template.path).toBe(201);
    }
    await fc.assert(
      fc.asyncProperty(bodyArb, async ({ t, ms, raw }) => {
        cases += 1;
        const all = templates(caseId);
        const template = all[t % all.length]!;
        const body = raw ?? JSON.stringify(ms.reduce<unknown>((v, m) => mutate(v, m), template.body));
        const res =
          template.sender === 'ggz'
            ? await sendAsGgz(template.path, body)
            : await send(template.path, { body });
        const answer = await expectWellFormed(res);
        if (template.path === '/v1/requests' && res.status === 200) {
          disclosedChecked += await expectDisclosuresLogged(api.store, answer);
        }
      }),
      { numRuns: RUNS.bodies },
    );
  }, 180_000);

  it('shows the politie no medical case event in its view of the log, after all the bodies above', async () => {
    const careStatus = templates(caseId).find((t) => t.sender === 'ggz' && t.path.endsWith('/events'))!;
    await expectWellFormed(await sendAsGgz(careStatus.path, JSON.stringify(careStatus.body)));
    const medical: unknown[] = [];
    let after = 0;
    for (;;) {
      const page = await expectWellFormed(
        await send(`/v1/audit/entries?type=case.event_recorded&limit=1000&after=${after}`, { method: 'GET' }),
      );
      const entries = page!.entries as { entry: { details?: { eventType?: string } } }[];
      medical.push(...entries.filter((e) => e.entry.details?.eventType === 'zorgstatus_gewijzigd'));
      if (typeof page!.next !== 'number') break;
      after = page!.next;
    }
    expect(medical).toEqual([]);
    // The GGZ recorded some (so the check above is not empty by accident) and reads them.
    const ggz = api.peer;
    api.peer = { raw: api.ggz.raw, authorized: true };
    try {
      const own = await expectWellFormed(
        await send('/v1/audit/entries?type=case.event_recorded&limit=1000', {
          method: 'GET',
          headers: { authorization: `Bearer ${ggzToken}` },
        }),
      );
      const types = (own!.entries as { entry: { details?: { eventType?: string } } }[]).map(
        (e) => e.entry.details?.eventType,
      );
      expect(types).toContain('zorgstatus_gewijzigd');
    } finally {
      api.peer = ggz;
    }
  });

  it('answers hostile query parameters of the log view with a page or a problem+json, never a 5xx', async () => {
    const queryValue = fc.oneof(edgeString, hostileString, fc.integer().map(String));
    // One parameter hostile, the others valid or absent: a valid one refused first would hide it.
    const valid: Record<string, string> = {
      after: '0',
      limit: '10',
      type: 'case.opened',
      from: '2026-01-01T00:00:00Z',
      to: '2100-01-01T00:00:00Z',
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(valid)),
        queryValue,
        fc.subarray(Object.keys(valid)),
        async (name, value, others) => {
          cases += 1;
          const params = new URLSearchParams(others.map((k) => [k, valid[k]!] as [string, string]));
          params.set(name, value);
          const res = await send(`/v1/audit/entries?${params.toString()}`, { method: 'GET' });
          const answer = await expectWellFormed(res);
          if (res.status === 200) expect(Array.isArray(answer!.entries)).toBe(true);
        },
      ),
      { numRuns: RUNS.queries },
    );
  }, 120_000);

  it('adds a partner asked for several times at once as a member once: one 201, the rest 409', async () => {
    const addable = [
      { partner: 'demo-kmar', role: 'analist' },
      { partner: 'demo-dkdb', role: 'beveiligingscoordinator' },
      { partner: 'demo-veiligheidshuis', role: 'procesregisseur' },
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...addable), fc.integer({ min: 2, max: 4 }), async (member, times) => {
        cases += 1;
        const opened = await expectWellFormed(
          await send('/v1/cases', {
            body: JSON.stringify({ subject: { bsn: DEMO_BSN }, melding: TEST_MELDING }),
          }),
        );
        const path = `/v1/cases/${opened!.id as string}/members`;
        const answers = await Promise.all(
          Array.from({ length: times }, async () => send(path, { body: JSON.stringify(member) })),
        );
        const problems = await Promise.all(answers.map((res) => expectWellFormed(res)));
        expect(answers.map((r) => r.status).sort()).toEqual([201, ...Array<number>(times - 1).fill(409)]);
        expect(problems.filter((p) => p !== undefined && 'code' in p).map((p) => p!.code)).toEqual(
          Array<string>(times - 1).fill('ERR_ALREADY_MEMBER'),
        );
      }),
      { numRuns: RUNS.members },
    );
  }, 120_000);

  it('answers hostile ids in every path with a parameter with a problem+json, never a 5xx', async () => {
    const idArb = fc.oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }),
      fc.uuid(),
      fc.constantFrom(
        '%00',
        '\u0000',
        'x\u0000',
        '%2F..%2F',
        '..',
        "1'; select pg_sleep(1); --",
        'a'.repeat(5_000),
        '-1',
        '0x10',
        'null',
      ),
    );
    const routes = [
      { method: 'GET', path: (id: string) => `/v1/cases/${id}` },
      {
        method: 'POST',
        path: (id: string) => `/v1/cases/${id}/members`,
        body: { partner: 'demo-kmar', role: 'analist' },
      },
      {
        method: 'POST',
        path: (id: string) => `/v1/cases/${id}/events`,
        body: { type: 'inclusiebesluit', data: { besluit: 'in' } },
      },
      { method: 'GET', path: (id: string) => `/v1/requests/${id}` },
      { method: 'GET', path: (id: string) => `/v1/receipts/${id}` },
      { method: 'DELETE', path: (id: string) => `/v1/consents/${id}` },
      {
        method: 'POST',
        path: (id: string) => `/v1/reviews/${id}/decision`,
        body: { decision: 'refuse', ground: 'toestemming' },
      },
      { method: 'POST', path: (id: string) => `/v1/breakglass/${id}/review`, body: { verdict: 'justified' } },
    ];
    await fc.assert(
      fc.asyncProperty(idArb, fc.nat(routes.length - 1), async (id, r) => {
        cases += 1;
        const route = routes[r]!;
        const res = await send(route.path(encodeURIComponent(id)), {
          method: route.method,
          ...(route.body === undefined ? {} : { body: JSON.stringify(route.body) }),
        });
        await expectWellFormed(res);
      }),
      { numRuns: RUNS.ids },
    );
  }, 120_000);

  it('answers hostile headers (Authorization, Content-Type, traceparent, request id) without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            authorization: fc.oneof(
              headerValue,
              headerValue.map((v) => `Bearer ${v}`),
              fc.constant(`Bearer ${token} ${token}`),
            ),
            'content-type': fc.oneof(
              headerValue,
              fc.constantFrom(
                'application/json; charset=utf-16',
                'application/x+json',
                'text/plain',
                'multipart/form-data; boundary=x',
              ),
            ),
            traceparent: fc.oneof(headerValue, fc.constant(`00-${'0'.repeat(32)}-${'0'.repeat(16)}-01`)),
            'x-request-id': headerValue,
            'content-length': fc.constantFrom('0', '-1', '99999999999', 'abc'),
          },
          { requiredKeys: [] },
        ),
        fc.constantFrom(
          '/v1/whoami',
          '/v1/requests',
          '/access/v1/evaluation',
          `/v1/cases/${caseId}`,
          '/v1/nope',
        ),
        async (headers, path) => {
          cases += 1;
          const method = path === '/v1/whoami' || path.startsWith('/v1/cases/') ? 'GET' : 'POST';
          let res: Response;
          try {
            res = await send(path, {
              method,
              headers: headers,
              ...(method === 'POST' ? { body: '{}' } : {}),
            });
          } catch (error) {
            // The fetch API itself refuses some header values before they reach the broker.
            expect(error).toBeInstanceOf(TypeError);
            return;
          }
          const answer = await expectWellFormed(res);
          // Anything but the one valid token is never served.
          if (headers.authorization !== undefined && headers.authorization !== `Bearer ${token}`) {
            expect(res.status, `status ${res.status}`).toBeGreaterThanOrEqual(400);
            expect(answer?.items).toBeUndefined();
          }
        },
      ),
      { numRuns: RUNS.headers },
    );
  }, 120_000);

  it('refuses every malformed, unsigned, foreign or unbound user token with 401', async () => {
    const wrong = await generateKeyPair('ES256', { extractable: true });
    const wrongJwk = await exportJWK(wrong.privateKey);
    const now = Math.floor(Date.now() / 1000);
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const claims = {
      iss: 'demo-politie',
      sub: 'fuzzer',
      role: 'casusregisseur',
      aud: 'schakel',
      iat: now,
      exp: now + 300,
      cnf: { 'x5t#S256': api.x5tS256 },
    };
    const sign = async (payload: Record<string, unknown>, key: JWK, alg = 'ES256') =>
      new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(await importJWK(key, alg));
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      format: 'jwk',
    }) as JWK;

    const tokenArb = fc.oneof(
      fc.string({ maxLength: 300 }).map((s) => Promise.resolve(s)),
      fc
        .tuple(fc.base64String(), fc.base64String(), fc.base64String())
        .map((parts) => Promise.resolve(parts.map((p) => p.replace(/=/g, '')).join('.'))),
      fc
        .record({
          alg: fc.constantFrom('none', 'None', 'NONE', 'HS256', 'ES256', ''),
          extra: fc.jsonValue({ maxDepth: 1 }),
        })
        .map(({ alg, extra }) =>
          Promise.resolve(`${b64({ alg, typ: 'JWT' })}.${b64({ ...claims, extra })}.`),
        ),
      fc.constant(null).map(() => sign(claims, wrongJwk)),
      fc.constant(null).map(() => sign(claims, rsa, 'RS256')),
      // Genuinely signed, but issued in the future or not valid yet.
      fc
        .record({ iat: fc.integer({ min: now + 120, max: now + 1e10 }), nbf: fc.boolean() })
        .map(({ iat, nbf }) => sign(nbf ? { ...claims, nbf: iat } : { ...claims, iat }, api.tokenKey)),
      fc
        .record({
          field: fc.constantFrom('iss', 'aud', 'exp', 'cnf', 'role', 'sub', 'iat', 'nbf'),
          value: hostileValue,
        })
        .map(({ field, value }) => {
          const changed: Record<string, unknown> = { ...claims, [field]: value };
          if (field === 'exp' && typeof value === 'number' && value > now && value <= now + 600)
            changed.exp = now - 1;
          if (field === 'nbf') changed.nbf = now + 3600;
          if (field === 'iat' && typeof value === 'number' && value <= now) changed.exp = now + 3600;
          if (field === 'cnf')
            changed.cnf = { 'x5t#S256': typeof value === 'string' && value !== api.x5tS256 ? value : 'x' };
          if (field === 'sub' && typeof value === 'string' && value.length > 0) changed.sub = 1;
          return sign(changed, api.tokenKey);
        }),
      fc
        .tuple(
          fc.nat(),
          fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
        )
        .map(([at, ch]) => {
          const [h, p, s] = token.split('.') as [string, string, string];
          const i = at % p.length;
          const payload = p[i] === ch ? p : `${p.slice(0, i)}${ch}${p.slice(i + 1)}`;
          return Promise.resolve(payload === p ? `${h}.${p}x.${s}` : `${h}.${payload}.${s}`);
        }),
    );

    await fc.assert(
      fc.asyncProperty(tokenArb, fc.constantFrom('/v1/whoami', '/v1/requests'), async (made, path) => {
        cases += 1;
        const jwt = await made;
        const res = await send(path, {
          method: path === '/v1/whoami' ? 'GET' : 'POST',
          headers: { authorization: `Bearer ${jwt}` },
          ...(path === '/v1/requests'
            ? { body: JSON.stringify(templates(caseId).find((t) => t.path === '/v1/requests')!.body) }
            : {}),
        });
        if (/^\S+$/.test(jwt)) {
          const problem = await expectWellFormed(res);
          // A genuine signature over claims naming a role the partner kind lacks is 403, all else 401.
          expect([401, 403], `${jwt} -> ${res.status}`).toContain(res.status);
          expect(problem!.code).toMatch(res.status === 401 ? /^ERR_TOKEN_/ : /^ERR_ROLE_NOT_ALLOWED$/);
        } else {
          // Not a single token: refused as a malformed Authorization header, or (empty) no token at all.
          const answer = await expectWellFormed(res);
          expect(answer?.items).toBeUndefined();
        }
      }),
      { numRuns: RUNS.tokens },
    );
  }, 120_000);

  it('refuses random, truncated, corrupted or unverified client certificates without a 5xx', async () => {
    const good = api.raw;
    const peerArb = fc.oneof(
      fc.record({
        raw: fc.uint8Array({ maxLength: 2_000 }),
        authorized: fc.boolean(),
        trusted: fc.constant(false),
      }),
      fc.nat(good.length - 1).map((n) => ({ raw: good.slice(0, n), authorized: true, trusted: false })),
      fc
        .record({
          at: fc.nat(good.length - 1),
          byte: fc.integer({ min: 1, max: 255 }),
          authorized: fc.boolean(),
        })
        .map(({ at, byte, authorized }) => {
          const raw = good.slice();
          raw[at] = raw[at]! ^ byte;
          // TLS would have refused a certificate whose signature no longer verifies; the guard must
          // still never fail on whatever bytes it is handed.
          return { raw, authorized, trusted: false };
        }),
      fc.record({ authorizationError: fc.string({ maxLength: 30 }) }).map(({ authorizationError }) => ({
        raw: good,
        authorized: false,
        authorizationError,
        trusted: false,
      })),
    );
    try {
      await fc.assert(
        fc.asyncProperty(peerArb, async (peer) => {
          cases += 1;
          api.peer = peer;
          const res = await send('/v1/whoami', { method: 'GET' });
          const answer = await expectWellFormed(res);
          if (!peer.authorized) {
            expect(res.status).toBe(401);
            expect(answer!.code).toMatch(/^ERR_(CERT|TRUST)_/);
          } else if (res.status === 200) {
            // Accepted only when the bytes still name the registered politie system.
            expect(answer).toMatchObject({ partner: { id: 'demo-politie' } });
          }
        }),
        { numRuns: RUNS.certificates },
      );
    } finally {
      api.peer = { raw: good, authorized: true };
    }
  }, 120_000);
});
