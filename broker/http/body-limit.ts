// The request body limit, with the body read straight from Node's request stream when the handler asks for it.
import type { IncomingMessage } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as webBodyLimit } from 'hono/body-limit';

/** Decodes as the Fetch API's `text()` does: UTF-8, a leading BOM dropped, bad bytes replaced. */
const utf8 = new TextDecoder();

/**
 * Refuses bodies over `maxBytes` by calling `tooLarge` (which throws the refusal).
 *
 * On a Node server the body is not read here: `c.req.text()`, `json()`, `arrayBuffer()` and
 * `parseBody()` read it from the Node request stream on first use, counting bytes as they arrive,
 * and reject with `tooLarge`'s error past the limit (a declared Content-Length past it is refused
 * before any route runs). Going through the Fetch API instead would build a Web `Request` for every
 * body: an AbortSignal, a ReadableStream and a FinalizationRegistry entry per request, which V8's
 * young-generation collector keeps alive, so they pile up in the old generation and every few
 * seconds a full collection stalls all requests in flight at once. A body no handler reads is
 * drained by @hono/node-server after the answer, as before.
 *
 * Without a Node request (`app.request()` in tests) Hono's own body limit runs.
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
    if (declared !== undefined && incoming.headers['transfer-encoding'] === undefined) {
      if (Number(declared) > maxBytes) tooLarge();
    }
    offerBody(c, incoming, maxBytes, tooLarge);
    await next();
  };
}

/**
 * Puts the body into Hono's body cache as lazy entries: the first `text` or `arrayBuffer` read starts
 * reading the stream, and both then share it. Hono turns the other body types (formData, blob) into
 * one of these, with the request's Content-Type.
 */
function offerBody(c: Context, incoming: IncomingMessage, maxBytes: number, tooLarge: () => never): void {
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
}

/**
 * Reads the whole request stream, at most `maxBytes`.
 *
 * @throws tooLarge's error past the limit (reading stops; the rest is drained after the answer).
 * @throws Error when the stream fails, ends early or was already read by something else.
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
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    // 'close' without 'end': the client went away mid-body.
    const onClose = () => {
      done();
      reject(new Error('The request body ended early.'));
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}
