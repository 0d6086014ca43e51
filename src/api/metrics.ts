import { Counter, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of the API: request counts and latencies by action and code. */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly #requests = new Counter({
    name: 'stockade_requests_total',
    help: 'EC2 Query requests answered, by action and result code (OK on success).',
    labelNames: ['action', 'code'] as const,
    registers: [this.registry],
  });
  readonly #duration = new Histogram({
    name: 'stockade_request_duration_seconds',
    help: 'Time from request received to response sent, by action.',
    labelNames: ['action'] as const,
    // Sub-millisecond to one second: commits fsync, so writes sit near 1 ms (docs/performance.md).
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly #revision = new Counter({
    name: 'stockade_change_records_total',
    help: 'Change records committed by this process.',
    registers: [this.registry],
  });

  /** Records one answered request. */
  observe(action: string, code: string, seconds: number): void {
    this.#requests.inc({ action, code });
    this.#duration.observe({ action }, seconds);
  }

  /** Records committed change records. */
  committed(count: number): void {
    this.#revision.inc(count);
  }
}
