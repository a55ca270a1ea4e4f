// The limit gauges: Prometheus sees how full the log queue is and which holder sources' breakers are open.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerLimitGauges } from '../../broker/http/limit-gauges.ts';

describe('limit gauges', () => {
  it('reports the log queue depth and each breaker at scrape time', async () => {
    const registry = new Registry();
    let pending = 0;
    const breakers = new Map<string, 'closed' | 'open' | 'half_open'>();
    registerLimitGauges(registry, { auditPending: () => pending, breakers: () => breakers });
    pending = 42;
    breakers.set('ggz-noord', 'open').set('om', 'closed').set('kmar', 'half_open');
    const text = await registry.metrics();
    expect(text).toContain('schakel_audit_queue_pending 42');
    expect(text).toContain('schakel_source_circuit_open{holder="ggz-noord"} 1');
    expect(text).toContain('schakel_source_circuit_open{holder="om"} 0');
    expect(text).toContain('schakel_source_circuit_open{holder="kmar"} 1');
  });
});
