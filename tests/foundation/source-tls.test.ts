// The agent the broker reaches holders' sources with always verifies the source's certificate.
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceAgent } from '../../broker/main.ts';
import {
  startUntrustedHttps,
  withVerificationOffInEnvironment,
  type UntrustedHttps,
} from '../support/untrusted-https.ts';

describe('the source agent', () => {
  let source: UntrustedHttps;

  beforeAll(async () => {
    source = await startUntrustedHttps('source-tls', '{"status":"not_found"}');
  });

  afterAll(() => source?.close());

  it('refuses a source signed by an untrusted CA even with NODE_TLS_REJECT_UNAUTHORIZED=0', async () => {
    const agent = sourceAgent({ ...source.client, ca: source.ourCa });
    try {
      await withVerificationOffInEnvironment(() =>
        expect(fetch(source.url, { dispatcher: agent })).rejects.toThrow(),
      );
    } finally {
      await agent.close();
    }
  });

  it('reaches a source whose CA it was given', async () => {
    const agent = sourceAgent({ ...source.client, ca: source.theirCa });
    try {
      expect((await fetch(source.url, { dispatcher: agent })).status).toBe(200);
    } finally {
      await agent.close();
    }
  });
});
