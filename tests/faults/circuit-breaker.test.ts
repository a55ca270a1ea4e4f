// Fault test: a holder source that hangs opens its circuit breaker; requests then answer `error` at once, and recover when it heals.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CircuitOpenError, withCircuitBreaker, type CircuitState } from '../../adapters/circuit-breaker.ts';
import type { Adapter, AdapterAnswer } from '../../adapters/contract.ts';
import { createHttpAdapter } from '../../adapters/http.ts';
import { BACKENDS } from '../support/databases.ts';
import { openFlowFixture, REGISSEUR, type FlowFixture, type FlowItem } from './flow-fixture.ts';

const QUERY = { requestId: 'r-1', category: 'om.strafzaken', bsn: '111222333' };
/** The HTTP adapter's own timeout in the flow test below. */
const ADAPTER_TIMEOUT = 300;
/** The request service's hard limit on any source (its default; the fixture does not change it). */
const SOURCE_DEADLINE = 10_000;
const signal = () => new AbortController().signal;

/** A source whose answer the test switches; counts the calls that reached it. */
function scriptedSource() {
  const source = {
    calls: 0,
    failing: true,
    adapter: {
      categories: ['om.strafzaken'],
      fetch(): Promise<AdapterAnswer> {
        source.calls += 1;
        return source.failing
          ? Promise.reject(new Error('source down'))
          : Promise.resolve({ status: 'not_found' });
      },
    } satisfies Adapter,
  };
  return source;
}

describe('circuit breaker', () => {
  it('opens after the threshold of consecutive failures and then refuses without calling the source', async () => {
    const source = scriptedSource();
    const changes: CircuitState[] = [];
    const breaker = withCircuitBreaker(source.adapter, {
      failureThreshold: 3,
      coolDownMs: 1_000,
      now: () => 0,
      onStateChange: (s) => changes.push(s),
    });
    for (let i = 0; i < 3; i++) await expect(breaker.fetch(QUERY, signal())).rejects.toThrow('source down');
    expect(breaker.state).toBe('open');
    await expect(breaker.fetch(QUERY, signal())).rejects.toBeInstanceOf(CircuitOpenError);
    await expect(breaker.fetch(QUERY, signal())).rejects.toMatchObject({ code: 'ERR_SOURCE_CIRCUIT_OPEN' });
    expect(source.calls).toBe(3);
    expect(changes).toEqual(['open']);
  });

  it('counts only consecutive failures: a success in between resets the count', async () => {
    const source = scriptedSource();
    const breaker = withCircuitBreaker(source.adapter, { failureThreshold: 2, now: () => 0 });
    await expect(breaker.fetch(QUERY, signal())).rejects.toThrow();
    source.failing = false;
    await breaker.fetch(QUERY, signal());
    source.failing = true;
    await expect(breaker.fetch(QUERY, signal())).rejects.toThrow('source down');
    expect(breaker.state).toBe('closed');
  });

  it('lets one trial through after the cool-down: failure opens it again, success closes it', async () => {
    const source = scriptedSource();
    let clock = 0;
    const breaker = withCircuitBreaker(source.adapter, {
      failureThreshold: 1,
      coolDownMs: 1_000,
      now: () => clock,
    });
    await expect(breaker.fetch(QUERY, signal())).rejects.toThrow('source down');
    clock = 999;
    await expect(breaker.fetch(QUERY, signal())).rejects.toBeInstanceOf(CircuitOpenError);
    clock = 1_000;
    await expect(breaker.fetch(QUERY, signal())).rejects.toThrow('source down'); // the trial
    expect(breaker.state).toBe('open');
    await expect(breaker.fetch(QUERY, signal())).rejects.toBeInstanceOf(CircuitOpenError);
    clock = 2_000;
    source.failing = false;
    expect(await breaker.fetch(QUERY, signal())).toEqual({ status: 'not_found' });
    expect(breaker.state).toBe('closed');
    expect(source.calls).toBe(3);
  });

  it('lets exactly one trial through while half-open; others fail at once', async () => {
    let release: (answer: AdapterAnswer) => void = () => undefined;
    let calls = 0;
    let failing = true;
    let clock = 0;
    const breaker = withCircuitBreaker(
      {
        categories: ['om.strafzaken'],
        fetch: () => {
          calls += 1;
          if (failing) return Promise.reject(new Error('down'));
          return new Promise<AdapterAnswer>((resolve) => (release = resolve));
        },
      },
      { failureThreshold: 1, coolDownMs: 10, now: () => clock },
    );
    await expect(breaker.fetch(QUERY, signal())).rejects.toThrow('down');
    clock = 10;
    failing = false;
    const trial = breaker.fetch(QUERY, signal());
    expect(breaker.state).toBe('half_open');
    await expect(breaker.fetch(QUERY, signal())).rejects.toBeInstanceOf(CircuitOpenError);
    release({ status: 'not_found' });
    await trial;
    expect(breaker.state).toBe('closed');
    expect(calls).toBe(2);
  });
});

describe.each(BACKENDS)(
  'a hanging holder source behind its breaker, through the request flow on %s',
  (backend) => {
    let server: Server;
    let hanging = true;
    let reached = 0;
    let clock = 0;
    let fixture: FlowFixture;

    beforeAll(async () => {
      server = createServer((req, res) => {
        reached += 1;
        if (hanging) return; // never answers
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            status: 'found',
            record: { lopend: [{ feit: 'bedreiging', fase: 'vervolging' }] },
          }),
        );
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/query`;
      const om = withCircuitBreaker(
        createHttpAdapter({ url, categories: ['om.strafzaken'], fetch, timeoutMs: ADAPTER_TIMEOUT }),
        { failureThreshold: 2, coolDownMs: 60_000, now: () => clock },
      );
      fixture = await openFlowFixture({
        backend,
        adapters: (holder) => (holder === 'demo-om' ? om : undefined),
      });
    });
    afterAll(async () => {
      server.closeAllConnections();
      server.close();
      await fixture.close();
    });

    const ask = async (caseId: string) => {
      const res = await fixture.call(REGISSEUR, 'POST', '/v1/requests', {
        caseId,
        subject: { bsn: '111222333' },
        purpose: 'risicotaxatie',
        categories: ['om.strafzaken'],
      });
      expect(res.status).toBe(200);
      return res.body as { id: string; items: FlowItem[]; receipt?: string };
    };

    it('answers error after the timeout, then error at once with SOURCE_CIRCUIT_OPEN, logged, and recovers after the cool-down', async () => {
      const caseId = await fixture.includedCase();

      // Two timeouts open the breaker.
      for (let i = 0; i < 2; i++) {
        const started = performance.now();
        const answer = await ask(caseId);
        const ms = Math.round(performance.now() - started);
        console.log(`hanging source answered error after ${ms} ms (adapter timeout ${ADAPTER_TIMEOUT} ms)`);
        // The adapter's own timeout ended the wait, not the request service's deadline behind it.
        expect(ms).toBeGreaterThanOrEqual(ADAPTER_TIMEOUT - 10);
        expect(ms).toBeLessThan(SOURCE_DEADLINE / 2);
        // The timeout's own code (SOURCE_TIMEOUT, or SOURCE_UNAVAILABLE where timeouts are not told apart).
        expect(answer.items).toMatchObject([
          { outcome: 'error', reasons: [{ code: expect.stringMatching(/^SOURCE_(TIMEOUT|UNAVAILABLE)$/) }] },
        ]);
        expect(answer.items[0]!.data).toBeUndefined();
        expect(answer.receipt).toBeUndefined();
      }
      expect(reached).toBe(2);

      // Open: answered without calling the source, still logged as an error item.
      const open = await ask(caseId);
      expect(open.items).toMatchObject([{ outcome: 'error', reasons: [{ code: 'SOURCE_CIRCUIT_OPEN' }] }]);
      expect(reached).toBe(2);
      expect(await fixture.committedOutcomes(open.id)).toEqual(['error']);

      // The source heals; after the cool-down one trial closes the breaker and the item is disclosed.
      hanging = false;
      clock = 60_000;
      const healed = await ask(caseId);
      expect(healed.items).toMatchObject([
        { outcome: 'disclosed', data: { lopend: [{ feit: 'bedreiging' }] } },
      ]);
      expect(reached).toBe(3);
      expect(await fixture.committedOutcomes(healed.id)).toEqual(['disclosed']);
      const receipt = await fixture.verifyReceipt(healed.receipt!);
      expect(receipt.items).toMatchObject([{ category: 'om.strafzaken' }]);
      expect(await fixture.verify()).toMatchObject({ ok: true });
    });
  },
);
