// The single error path: problem+json with a stable code for 404, 405, malformed JSON, large bodies and validation.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../broker/http/app.ts';
import { readJson } from '../../broker/http/json-body.ts';
import { createHttpMetrics } from '../../broker/http/metrics.ts';
import { createLogger } from '../../broker/logger.ts';

function makeApp() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ level: 'info', destination });
  const echo = z.object({ name: z.string().min(1), count: z.number().int() }).strict();
  const app = createApp({
    logger,
    metrics: createHttpMetrics({ collectProcessMetrics: false }),
    maxBodyBytes: 2048,
    routes: [
      (a) => {
        a.post('/v1/echo', async (c) => c.json(await readJson(c, echo)));
        a.get('/v1/cached', (c) => c.body('x', 200, { 'cache-control': 'max-age=300' }));
        a.get('/v1/boom', () => {
          throw new Error('database password is hunter2');
        });
      },
    ],
  });
  return { app, lines };
}

async function problem(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = (await response.json()) as Record<string, unknown>;
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  return body;
}

describe('problem+json error path', () => {
  it('answers an unknown path with 404 ERR_NOT_FOUND', async () => {
    const { app } = makeApp();
    const res = await app.request('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(await problem(res)).toMatchObject({
      status: 404,
      code: 'ERR_NOT_FOUND',
      instance: '/v1/nothing-here',
    });
  });

  it('answers a wrong method with 405 ERR_METHOD_NOT_ALLOWED and an Allow header', async () => {
    const { app } = makeApp();
    const res = await app.request('/v1/echo', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await problem(res)).toMatchObject({ code: 'ERR_METHOD_NOT_ALLOWED' });
  });

  it('answers malformed JSON with 400 ERR_MALFORMED_JSON', async () => {
    const { app } = makeApp();
    const res = await app.request('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(res.status).toBe(400);
    expect(await problem(res)).toMatchObject({ code: 'ERR_MALFORMED_JSON' });
  });

  it('answers an over-large body with 413 ERR_BODY_TOO_LARGE', async () => {
    const { app } = makeApp();
    const res = await app.request('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(5000), count: 1 }),
    });
    expect(res.status).toBe(413);
    expect(await problem(res)).toMatchObject({ code: 'ERR_BODY_TOO_LARGE' });
  });

  it('answers a non-JSON content type with 415', async () => {
    const { app } = makeApp();
    const res = await app.request('/v1/echo', { method: 'POST', body: 'name=x' });
    expect(res.status).toBe(415);
    expect(await problem(res)).toMatchObject({ code: 'ERR_UNSUPPORTED_MEDIA_TYPE' });
  });

  it('answers invalid and unknown fields with 422 naming each field', async () => {
    const { app } = makeApp();
    const res = await app.request('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '', count: 1.5, extra: true }),
    });
    expect(res.status).toBe(422);
    const body = await problem(res);
    expect(body.code).toBe('ERR_VALIDATION');
    const fields = (body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['count', 'extra', 'name']);
  });

  it('refuses a NUL character in a value or a key with 422 naming where, before any schema runs', async () => {
    const { app } = makeApp();
    for (const [body, field] of [
      ['{"name":"a\\u0000b","count":1}', 'name'],
      ['{"name":"a","count":1,"x\\u0000":{}}', 'x\u0000'],
    ] as const) {
      const res = await app.request('/v1/echo', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(422);
      const problemBody = await problem(res);
      expect(problemBody.errors).toEqual([{ field, message: 'must not contain the NUL character' }]);
    }
  });

  it('refuses a body nested deeper than any schema needs with 422, before validation', async () => {
    const { app } = makeApp();
    const res = await app.request('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"name":${'['.repeat(500)}${']'.repeat(500)},"count":1}`,
    });
    expect(res.status).toBe(422);
    expect(((await problem(res)).errors as { message: string }[])[0]!.message).toMatch(/nested deeper/);
  });

  it('hides an unexpected error behind 500 ERR_INTERNAL and logs it with the request id', async () => {
    const { app, lines } = makeApp();
    const res = await app.request('/v1/boom', { headers: { 'x-request-id': 'req-12345678' } });
    expect(res.status).toBe(500);
    const body = await problem(res);
    expect(body).toMatchObject({ code: 'ERR_INTERNAL', requestId: 'req-12345678' });
    expect(JSON.stringify(body)).not.toContain('hunter2');
    const failure = lines.find((l) => l.msg === 'request failed');
    expect(failure).toMatchObject({ requestId: 'req-12345678', code: 'ERR_INTERNAL' });
  });

  it('echoes the request id in a header and binds it to every log line of the request', async () => {
    const { app, lines } = makeApp();
    const res = await app.request('/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'abc-req-0001' },
      body: JSON.stringify({ name: 'n', count: 2 }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('abc-req-0001');
    expect(lines.filter((l) => l.requestId === 'abc-req-0001').length).toBeGreaterThan(0);
  });

  it('writes one access line per request: id, trace id, method, path, route, status and duration, no query', async () => {
    const { app, lines } = makeApp();
    const res = await app.request('/v1/echo?bsn=111222333', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'abc-req-0002',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      },
      body: JSON.stringify({ name: 'n', count: 2 }),
    });
    expect(res.status).toBe(200);
    const access = lines.filter((l) => l.msg === 'request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({
      requestId: 'abc-req-0002',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      method: 'POST',
      path: '/v1/echo',
      route: '/v1/echo',
      status: 200,
      ms: expect.any(Number) as number,
    });
    expect(JSON.stringify(lines)).not.toContain('111222333');
  });

  it('sends the request id and the security headers on answers and on problem+json refusals alike', async () => {
    const { app } = makeApp();
    const answers = [
      await app.request('/v1/echo', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'abc-req-0003' },
        body: JSON.stringify({ name: 'n', count: 2 }),
      }),
      await app.request('/v1/cached', { headers: { 'x-request-id': 'abc-req-0003' } }),
      await app.request('/v1/nothing', { headers: { 'x-request-id': 'abc-req-0003' } }),
      await app.request('/v1/boom', { headers: { 'x-request-id': 'abc-req-0003' } }),
      // The body limit answers without calling the handlers after it.
      await app.request('/v1/echo', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'abc-req-0003' },
        body: JSON.stringify({ name: 'x'.repeat(5000), count: 1 }),
      }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 404, 500, 413]);
    for (const res of answers) {
      expect(res.headers.get('x-request-id')).toBe('abc-req-0003');
      // A handler's own cache-control does not weaken it.
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
    }
  });

  it('generates a request id when the offered one is malformed', async () => {
    const { app } = makeApp();
    const res = await app.request('/v1/nothing', { headers: { 'x-request-id': 'bad id; drop' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never takes a request id holding a BSN: it would reach every log line and the log record', async () => {
    const { app } = makeApp();
    for (const offered of ['111222333', 'req-111222333-x']) {
      const res = await app.request('/v1/nothing', { headers: { 'x-request-id': offered } });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    const kept = await app.request('/v1/nothing', { headers: { 'x-request-id': 'req-123456789-x' } });
    expect(kept.headers.get('x-request-id')).toBe('req-123456789-x');
  });
});

describe('log redaction', () => {
  it('never writes a BSN or an authorization header, even when code passes one by mistake', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    logger.info(
      { bsn: '111222333', subject: { bsn: '111222333' }, headers: { authorization: 'Bearer x.y.z' } },
      'oops',
    );
    expect(lines.join('')).not.toContain('111222333');
    expect(lines.join('')).not.toContain('x.y.z');
  });
});
