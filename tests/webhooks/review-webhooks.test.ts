// Review webhooks against a real HTTPS receiver on port 0 that demands the broker's client certificate, on every backend.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import pino from 'pino';
import { Agent, fetch } from 'undici';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BSN } from '../../adapters/reference/demo-data.ts';
import { generateKeyringFile, loadKeyring, type Keyring } from '../../broker/audit/keyring.ts';
import {
  createHttpsTransport,
  createNoticeSigner,
  createWebhookDeliverer,
  createWebhookOutbox,
  createWebhookRegistrations,
  REVIEW_NOTICE_TYP,
} from '../../broker/webhooks/index.ts';
import { readServerCredentials } from '../../keys/dev-pki.ts';
import { issuePartnerCertificate, issuedFiles } from '../../keys/issue.ts';
import { createPki } from '../../keys/pki-setup.ts';
import { BACKENDS, scratchDir } from '../support/databases.ts';
import { asPartner } from '../support/test-caller.ts';
import { createHarness, type Harness } from '../requests/harness.ts';

interface Received {
  body: string;
  headers: Record<string, string | string[] | undefined>;
  clientSubject: string | undefined;
}

/** The holder's receiver: answers each POST with the next status of `script` (then 204). */
function startReceiver(tls: { cert: string; key: string; ca: string }) {
  const received: Received[] = [];
  const script: number[] = [];
  const server: Server = createServer(
    { cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          headers: req.headers,
          clientSubject: peer.subject === undefined ? undefined : String(peer.subject.CN),
        });
        res.statusCode = script.shift() ?? 204;
        res.end();
      });
    },
  );
  return {
    received,
    script,
    listen: () =>
      new Promise<number>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Log lines as objects, to check what was (and was not) written. */
function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe.each(BACKENDS)('review webhooks (%s)', (backend) => {
  const pki = scratchDir('webhook-pki');
  let tls: { cert: string; key: string; ca: string };
  let broker: { cert: string; key: string };
  let keyring: Keyring;

  beforeAll(async () => {
    await createPki(pki);
    tls = readServerCredentials(pki);
    const out = path.join(pki, 'broker-client');
    await issuePartnerCertificate(pki, {
      partnerId: 'schakel-broker',
      oin: '00000001003214345000',
      organisation: 'schakel',
      out,
    });
    const files = issuedFiles(out);
    broker = { cert: readFileSync(files.cert, 'utf8'), key: readFileSync(files.key, 'utf8') };
    keyring = await loadKeyring(await generateKeyringFile());
  }, 60_000);

  let harness: Harness | undefined;
  let receiver: ReturnType<typeof startReceiver> | undefined;
  let transport: ReturnType<typeof createHttpsTransport> | undefined;
  afterEach(async () => {
    await transport?.close();
    await receiver?.close();
    await harness?.close();
    harness = receiver = transport = undefined;
  });

  /** A harness whose new reviews go to the outbox, a receiver, and a deliverer on a frozen clock. */
  async function setUp(options: { maxAttempts?: number; maxQueue?: number } = {}) {
    const { logger, lines } = memoryLogger();
    const clock = { now: new Date('2026-12-01T09:00:00Z') };
    const outbox = createWebhookOutbox({ maxQueue: options.maxQueue ?? 100, logger, now: () => clock.now });
    harness = await createHarness(backend, {
      onReviewCreated: (trx, review) =>
        outbox.enqueue(trx, {
          reviewId: review.id,
          holderPartnerId: review.holderPartnerId,
          category: review.category,
          dueAt: review.dueAt,
        }),
    });
    receiver = startReceiver(tls);
    const port = await receiver.listen();
    await createWebhookRegistrations(harness.store.db).set(
      'demo-ggz',
      `https://localhost:${port}/hooks/reviews`,
    );
    transport = createHttpsTransport({ ...broker, ca: tls.ca });
    const deliverer = () =>
      createWebhookDeliverer({
        db: harness!.store.db,
        transport: transport!.send,
        sign: createNoticeSigner(keyring),
        logger,
        maxAttempts: options.maxAttempts ?? 5,
        backoffMs: 1_000,
        timeoutMs: 5_000,
        pollMs: 1_000,
        now: () => clock.now,
      });
    const h = harness;
    const pendingReview = async () => {
      const caseId = await h.includedCase();
      const res = await h.call(asPartner('demo-politie', 'casusregisseur'), 'POST', '/v1/requests', {
        caseId,
        subject: { bsn: DEMO_BSN },
        purpose: 'risicotaxatie',
        categories: ['ggz.bekend'],
      });
      expect(res.status).toBe(200);
      const reviews = await h.call(asPartner('demo-ggz', 'behandelaar'), 'GET', '/v1/reviews');
      return (reviews.body as unknown as { id: string; dueAt: string }[]).at(-1)!;
    };
    return { harness: h, receiver, deliverer, clock, lines, pendingReview };
  }

  it('delivers a signed notice of a new review over mutual TLS, with only the review id, category and due time', async () => {
    const { receiver, deliverer, lines, pendingReview } = await setUp();
    const review = await pendingReview();
    expect(await deliverer().runOnce()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    expect(got.clientSubject).toBeDefined();
    expect(got.headers['content-type']).toBe('application/jose');
    expect(decodeProtectedHeader(got.body)).toMatchObject({
      alg: 'ES256',
      typ: REVIEW_NOTICE_TYP,
      kid: keyring.activeKid,
    });
    const { payload } = await compactVerify(got.body, createLocalJWKSet(keyring.jwks as never));
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    expect(claims).toEqual({
      iss: 'schakel',
      aud: 'demo-ggz',
      jti: got.headers['x-schakel-delivery'],
      iat: expect.any(Number) as number,
      event: 'review.created',
      reviewId: review.id,
      category: 'ggz.bekend',
      dueAt: review.dueAt,
    });
    // Never the person: not in the notice, not in the log lines.
    expect(got.body + JSON.stringify(claims)).not.toContain(DEMO_BSN);
    expect(JSON.stringify(lines)).not.toContain(DEMO_BSN);
    expect(lines.find((l) => l.msg === 'review webhook delivered')).toMatchObject({
      reviewId: review.id,
      partner: 'demo-ggz',
      attempt: 1,
      status: 204,
    });
    // Delivered once: a second round sends nothing.
    expect(await deliverer().runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
  });

  it('retries after a 500 with exponential back-off, and a restarted deliverer finishes the job', async () => {
    const { harness, receiver, deliverer, clock, lines, pendingReview } = await setUp();
    await pendingReview();
    receiver.script.push(500, 503);
    expect(await deliverer().runOnce()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    // Not due yet: nothing is sent before the back-off has passed.
    expect(await deliverer().runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    clock.now = new Date(clock.now.getTime() + 1_000);
    expect(await deliverer().runOnce()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    clock.now = new Date(clock.now.getTime() + 1_999);
    expect(await deliverer().runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    clock.now = new Date(clock.now.getTime() + 1);
    // A fresh deliverer (as after a restart) finds the pending notice in the database.
    expect(await deliverer().runOnce()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(3);
    expect(
      lines.filter((l) => l.msg === 'review webhook attempt failed').map((l) => [l.error, l.retryInMs]),
    ).toEqual([
      ['HTTP_500', 1_000],
      ['HTTP_503', 2_000],
    ]);
    const row = await harness.store.db.selectFrom('webhook_deliveries').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'delivered', attempts: 3 });
  });

  it('gives up after the last attempt with a log line naming the review and the error', async () => {
    const { harness, receiver, deliverer, clock, lines, pendingReview } = await setUp({ maxAttempts: 3 });
    const review = await pendingReview();
    receiver.script.push(500, 500, 500, 500);
    for (let i = 0; i < 3; i++) {
      await deliverer().runOnce();
      clock.now = new Date(clock.now.getTime() + 3_600_000);
    }
    expect(await deliverer().runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(receiver.received).toHaveLength(3);
    expect(lines.find((l) => l.msg === 'review webhook gave up')).toMatchObject({
      level: 50,
      reviewId: review.id,
      partner: 'demo-ggz',
      attempt: 3,
      error: 'HTTP_500',
    });
    const row = await harness.store.db.selectFrom('webhook_deliveries').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', attempts: 3, last_error: 'HTTP_500' });
  });

  it('counts a refused TLS handshake (no broker certificate) as a failed attempt, with a code', async () => {
    const { harness, pendingReview } = await setUp();
    await pendingReview();
    // A transport without the broker's client certificate: the receiver refuses the handshake.
    const anonymous = new Agent({ connect: { ca: tls.ca } });
    try {
      const deliverer = createWebhookDeliverer({
        db: harness.store.db,
        transport: async (url, body, headers, signal) =>
          (await fetch(url, { method: 'POST', body, headers: { ...headers }, signal, dispatcher: anonymous }))
            .status,
        sign: createNoticeSigner(keyring),
        logger: pino({ level: 'silent' }),
        maxAttempts: 5,
        backoffMs: 1_000,
        timeoutMs: 5_000,
        pollMs: 1_000,
        now: () => new Date('2026-12-01T09:00:00Z'),
      });
      expect(await deliverer.runOnce()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    } finally {
      await anonymous.close();
    }
    const row = await harness.store.db.selectFrom('webhook_deliveries').selectAll().executeTakeFirstOrThrow();
    expect(row.last_error).toMatch(/^[A-Z_]+$/);
    expect(row.last_error).not.toMatch(/^HTTP_/);
  });

  it('drops notices beyond the queue bound with a warning, and the review still stands', async () => {
    const { harness, lines, pendingReview } = await setUp({ maxQueue: 1 });
    await pendingReview();
    await pendingReview();
    const rows = await harness.store.db.selectFrom('webhook_deliveries').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(lines.some((l) => l.msg === 'review webhook queue full: notice dropped')).toBe(true);
    const reviews = await harness.call(asPartner('demo-ggz', 'behandelaar'), 'GET', '/v1/reviews');
    expect(reviews.body as unknown as unknown[]).toHaveLength(2);
  });

  it('queues nothing for a holder without a registered webhook', async () => {
    const { harness, pendingReview } = await setUp();
    await createWebhookRegistrations(harness.store.db).set('demo-ggz', null);
    await pendingReview();
    expect(await harness.store.db.selectFrom('webhook_deliveries').selectAll().execute()).toEqual([]);
  });
});

describe('webhook registration', () => {
  it('accepts only https URLs without credentials', async () => {
    const { checkWebhookUrl } = await import('../../broker/webhooks/index.ts');
    expect(checkWebhookUrl('https://ggz.example/hooks/reviews')).toBe('https://ggz.example/hooks/reviews');
    for (const bad of [
      'http://ggz.example/h',
      'https://user:pw@ggz.example/h',
      'https://ggz.example/h#x',
      'ftp://x',
      'not a url',
    ]) {
      expect(() => checkWebhookUrl(bad), bad).toThrow(
        expect.objectContaining({ code: 'ERR_WEBHOOK_URL_INVALID' }) as Error,
      );
    }
  });
});
