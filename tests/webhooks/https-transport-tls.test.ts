// The review webhook transport always verifies the receiver's certificate, whatever the environment says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpsTransport } from '../../broker/webhooks/https-transport.ts';
import {
  startUntrustedHttps,
  withVerificationOffInEnvironment,
  type UntrustedHttps,
} from '../support/untrusted-https.ts';

describe('the review webhook transport', () => {
  let receiver: UntrustedHttps;

  beforeAll(async () => {
    receiver = await startUntrustedHttps('webhook-tls', '');
  });

  afterAll(() => receiver?.close());

  it('refuses a receiver signed by an untrusted CA even with NODE_TLS_REJECT_UNAUTHORIZED=0', async () => {
    const https = createHttpsTransport({ ...receiver.client, ca: receiver.ourCa });
    try {
      await withVerificationOffInEnvironment(() =>
        expect(https.send(receiver.url, '{}', {}, AbortSignal.timeout(5_000))).rejects.toThrow(),
      );
    } finally {
      await https.close();
    }
  });

  it('reaches a receiver whose CA it was given', async () => {
    const https = createHttpsTransport({ ...receiver.client, ca: receiver.theirCa });
    try {
      expect(await https.send(receiver.url, '{}', {}, AbortSignal.timeout(5_000))).toBe(200);
    } finally {
      await https.close();
    }
  });
});
