// Prometheus gauges for the limits: how full the disclosure log's queue is, and which holder sources' breakers are open.
import { Gauge, type Registry } from 'prom-client';

/** Where the gauges read their values when Prometheus scrapes. */
export interface LimitReadings {
  /** Records waiting for a log commit (bounded by SCHAKEL_AUDIT_MAX_QUEUE). */
  readonly auditPending: () => number;
  /** Each configured holder source's breaker state, by holder partner id. */
  readonly breakers: () => ReadonlyMap<string, 'closed' | 'open' | 'half_open'>;
}

/**
 * Registers `schakel_audit_queue_pending` and `schakel_source_circuit_open{holder}` (1 while a
 * breaker is open or half-open, 0 when closed), read at scrape time.
 *
 * @example registerLimitGauges(metrics.registry, { auditPending: () => log.pending, breakers: () => states });
 */
export function registerLimitGauges(registry: Registry, readings: LimitReadings): void {
  new Gauge({
    name: 'schakel_audit_queue_pending',
    help: 'Disclosure-log records waiting for a commit; at SCHAKEL_AUDIT_MAX_QUEUE new work gets 503',
    registers: [registry],
    collect() {
      this.set(readings.auditPending());
    },
  });
  new Gauge({
    name: 'schakel_source_circuit_open',
    help: "1 while a holder source's circuit breaker is open or half-open, 0 when closed",
    labelNames: ['holder'] as const,
    registers: [registry],
    collect() {
      for (const [holder, state] of readings.breakers()) this.set({ holder }, state === 'closed' ? 0 : 1);
    },
  });
}
