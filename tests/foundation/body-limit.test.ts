// The body limit on a real Node server: bodies read from the request stream on demand, refused past the limit, never hung.
import http from 'node:http';
import { Writable } from 'node:stream';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../broker/http/app.ts';
import { readJson } from '../../broker/http/json-body.ts';
import { createHttpMetrics } from '../../broker/http/metrics.ts';
import { drain, portOf, startOpsServer } from '../../broker/http/servers.ts';
import { createLogger } from '../../broker/logger.ts';

const LIMIT = 4096;
let server: Server;
let port: number;
let agent: http.Agent;
/** How the last read on /watched ended, and a signal that it began. */
let watched: Promise<string> | undefined;
let watchedStarted: () => void = () => undefined;

beforeAll(async () => {
  const logger = createLogger({
    level: 'silent',
    destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
  const echo = z.object({ name: z.string() }).strict();
  const app = createApp({
    logger,
    metrics: createHttpMetrics({ collectProcessMetrics: false }),
    maxBodyBytes: LIMIT,
    routes: [
      (a) => {
        a.post('/echo', async (c) => c.json(await readJson(c, echo)));
        a.post('/text', async (c) => c.json({ text: await c.req.text() }));
        a.post('/ignore', (c) => c.json({ read: false }));
        a.post('/raw', async (c) => {
          const refused = await Promise.resolve()
            .then(() => c.req.raw.text())
            .then(
              () => false,
              () => true,
            );
          return c.json({ refused });
        });
        a.post('/watched', async (c) => {
          watchedStarted();
          watched = c.req.text().then(
            () => 'read',
            (error: unknown) => `failed: ${(error as Error).message}`,
          );
          return c.json({ outcome: await watched });
        });
        a.post('/form', async (c) => {
          const form = await c.req.parseBody();
          const file = form.file as File;
          return c.json({
            field: form.field,
            bytes: [...new Uint8Array(await file.arrayBuffer())],
          });
        });
      },
    ],
  });
  server = await startOpsServer({ host: '127.0.0.1', port: 0, app });
  port = portOf(server);
  // One keep-alive connection: a body left unread must not spoil the next request on it.
  agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
});

afterAll(async () => {
  agent.destroy();
  await drain(server, 1_000);
});

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Sends a body in the given chunks; without `length` it goes chunked (no Content-Length). */
function send(
  path: string,
  chunks: readonly (string | Buffer)[],
  headers: Record<string, string | number> = { 'content-type': 'application/json' },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
      );
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('body limit on a Node server', () => {
  it('reads a body with a Content-Length under the limit', async () => {
    const body = JSON.stringify({ name: 'ok' });
    const answer = await send('/echo', [body], {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    expect(answer).toEqual({ status: 200, body: { name: 'ok' } });
  });

  it('refuses a declared Content-Length past the limit with 413 before the route runs', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(LIMIT) });
    const answer = await send('/ignore', [body], {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ code: 'ERR_BODY_TOO_LARGE' });
  });

  it('reads a chunked body under the limit, however it is split', async () => {
    const answer = await send('/echo', ['{"na', 'me": "in ', 'parts"}']);
    expect(answer).toEqual({ status: 200, body: { name: 'in parts' } });
  });

  it('refuses a chunked body once it grows past the limit, and the connection serves the next request', async () => {
    const chunk = 'x'.repeat(1024);
    const answer = await send('/echo', ['{"name": "', chunk, chunk, chunk, chunk, chunk, '"}']);
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ code: 'ERR_BODY_TOO_LARGE' });
    expect(await send('/echo', ['{"name": "after"}'])).toEqual({ status: 200, body: { name: 'after' } });
  });

  it('refuses a chunked body past the limit before a route that never reads it', async () => {
    const chunk = 'x'.repeat(1024);
    const answer = await send('/ignore', [chunk, chunk, chunk, chunk, chunk]);
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ code: 'ERR_BODY_TOO_LARGE' });
  });

  it('refuses to read the body through c.req.raw, where the limit would not count it', async () => {
    const body = '{"name": "raw"}';
    expect(await send('/raw', [body], { 'content-length': body.length })).toEqual({
      status: 200,
      body: { refused: true },
    });
    expect(await send('/raw', [body])).toEqual({ status: 200, body: { refused: true } });
  });

  it('answers a route that never reads its body, and the connection serves the next request', async () => {
    expect(await send('/ignore', ['{"name": "unread"', ', "more": 1}'])).toEqual({
      status: 200,
      body: { read: false },
    });
    expect(await send('/echo', ['{"name": "next"}'])).toEqual({ status: 200, body: { name: 'next' } });
  });

  it('decodes text as the Fetch API does: UTF-8, a leading BOM dropped, bad bytes replaced', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('zoë '), Buffer.from([0xff])]);
    const answer = await send('/text', [bytes], { 'content-type': 'text/plain' });
    expect(answer).toEqual({ status: 200, body: { text: 'zoë \uFFFD' } });
  });

  it('keeps a multipart upload byte for byte', async () => {
    const boundary = 'schakelboundary';
    const binary = Buffer.from([0, 1, 2, 0xfe, 0xff, 0x80, 13, 10]);
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="field"\r\n\r\nvalue\r\n`),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="b.bin"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      binary,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const answer = await send('/form', [body], {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': body.length,
    });
    expect(answer).toEqual({ status: 200, body: { field: 'value', bytes: [...binary] } });
  });

  it('does not hang when the client leaves mid-body, and keeps serving', async () => {
    const started = new Promise<void>((resolve) => (watchedStarted = resolve));
    const left = new Promise<void>((resolve) => {
      const req = http.request({
        host: '127.0.0.1',
        port,
        path: '/watched',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': 100 },
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.write('{"name": "half');
      // Leaves once the handler is reading, with 86 of the 100 declared bytes still to come.
      void started.then(() => req.destroy());
    });
    await left;
    await vi.waitFor(() => expect(watched).toBeDefined());
    expect(await watched).toBe('failed: The client left before its request body was complete.');
    expect(await send('/echo', ['{"name": "still here"}'])).toEqual({
      status: 200,
      body: { name: 'still here' },
    });
  });
});
