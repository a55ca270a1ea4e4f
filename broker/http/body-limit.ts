// The request body limit, with the body read straight from Node's request stream when the handler asks for it.
import type { IncomingMessage } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as webBodyLimit } from 'hono/body-limit';
import { ClientClosedError } from '../errors.ts';

/** Decodes as the Fetch API's `text()` does: UTF-8, a leading BOM dropped, bad bytes replaced. */
const utf8 = new TextDecoder();

/**
 * Refuses bodies over `maxBytes` by calling `tooLarge` (which throws the refusal).
 *
 * On a Node server a body with a Content-Length is not read here: past the limit it is refused before
 * any route runs; otherwise `c.req.text()`, `json()`, `arrayBuffer()` and `parseBody()` read it from
 * the Node request stream on first use. A body without one (chunked) is read here, counting bytes
 * as they arrive, and refused once past the limit, before any route runs, as Hono's limit did. Going
 * through the Fetch API instead would build a Web `Request` for every body: an AbortSignal, a
 * ReadableStream and a FinalizationRegistry entry per request, which pile up in V8's old generation
 * (bench/README.md). A body no handler reads is drained by @hono/node-server after the answer.
 *
 * Read bodies only through `c.req`: reading `c.req.raw`'s body would bypass the count, so it throws.
 * (`c.req.raw.signal` on a request with a body would also start reading the stream: use it on GET
 * routes only.) Without a Node request (`app.request()` in tests) Hono's own body limit runs.
 *
 * @example app.use(bodyLimit(1 << 20, () => { throw new BodyTooLargeError('...'); }));
 */
export function bodyLimit(maxBytes: number, tooLarge: () => never): MiddlewareHandler {
  const web = webBodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async function bodyLimit(c, next) {
    const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
    if (incoming === undefined) return web(c, next);
    if (incoming.method === 'GET' || incoming.method === 'HEAD') return next();
    const declared = incoming.headers['content-length'];
    const counted = declared === undefined || incoming.headers['transfer-encoding'] !== undefined;
    if (!counted && Number(declared) > maxBytes) tooLarge();
    const read = offerBody(c, incoming, maxBytes, tooLarge);
    refuseRawBody(c.req.raw);
    if (counted) await read();
    await next();
  };
}

function rawBodyRefused(): never {
  throw new Error('Read the request body through c.req (where the body limit counts it), not c.req.raw.');
}

/** Makes the Web Request's own ways to the body throw: they would read the stream past the limit. */
function refuseRawBody(raw: Request): void {
  for (const method of ['arrayBuffer', 'blob', 'bytes', 'clone', 'formData', 'json', 'text']) {
    Object.defineProperty(raw, method, { configurable: true, value: rawBodyRefused });
  }
  Object.defineProperty(raw, 'body', { configurable: true, get: rawBodyRefused });
}

/**
 * Puts the body into Hono's body cache as lazy entries: the first `text` or `arrayBuffer` read starts
 * reading the stream, and both then share it. Hono turns the other body types (formData, blob) into
 * one of these, with the request's Content-Type.
 */
function offerBody(
  c: Context,
  incoming: IncomingMessage,
  maxBytes: number,
  tooLarge: () => never,
): () => Promise<Buffer> {
  let bytes: Promise<Buffer> | undefined;
  const read = () => (bytes ??= readLimited(incoming, maxBytes, tooLarge));
  const cache = c.req.bodyCache as Record<string, unknown>;
  // arrayBuffer first: Hono converts from the first entry, and bytes keep a binary upload intact.
  Object.defineProperty(cache, 'arrayBuffer', {
    enumerable: true,
    configurable: true,
    get: () => read().then((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer),
  });
  Object.defineProperty(cache, 'text', {
    enumerable: true,
    configurable: true,
    get: () => read().then((b) => utf8.decode(b)),
  });
  return read;
}

/**
 * Reads the whole request stream, at most `maxBytes`.
 *
 * @throws tooLarge's error past the limit (reading stops; the rest is drained after the answer).
 * @throws ClientClosedError when the client leaves before the body is complete.
 * @throws Error when the body was already read by something else.
 */
function readLimited(incoming: IncomingMessage, maxBytes: number, tooLarge: () => never): Promise<Buffer> {
  if (incoming.readableDidRead || incoming.readableEnded || incoming.destroyed) {
    return Promise.reject(new Error('The request body was already read.'));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        done();
        // Stop the flow; @hono/node-server drains (or closes) what is left after the answer.
        incoming.pause();
        try {
          tooLarge();
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const left = () => {
      done();
      reject(new ClientClosedError('The client left before its request body was complete.'));
    };
    // An aborted request errors, or closes without 'end'.
    const onError = left;
    const onClose = left;
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}
