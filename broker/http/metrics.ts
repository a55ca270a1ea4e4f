// Prometheus metrics for the HTTP ports, on a registry the composition root owns.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface HttpMetrics {
  readonly registry: Registry;
  observe(method: string, route: string, status: number, seconds: number): void;
}

/**
 * Creates a registry with process metrics and request counters/latency by route (the route pattern,
 * never the raw path: paths can carry ids).
 */
export function createHttpMetrics(options: { collectProcessMetrics?: boolean } = {}): HttpMetrics {
  const registry = new Registry();
  if (options.collectProcessMetrics ?? true)
    collectDefaultMetrics({ register: registry, prefix: 'schakel_' });
  const requests = new Counter({
    name: 'schakel_http_requests_total',
    help: 'HTTP requests on the partner port by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'schakel_http_request_duration_seconds',
    help: 'HTTP request duration on the partner port',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return {
    registry,
    observe(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      duration.observe({ method, route }, seconds);
    },
  };
}
