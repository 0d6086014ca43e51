/**
 * Prometheus metrics of the API: request counts and latencies by action and code, and committed
 * change records, in the text exposition format 0.0.4. Written here rather than with prom-client,
 * whose import alone costs ~8 MiB of resident memory (docs/dependencies.md), a sixth of the
 * server's memory budget (docs/performance.md).
 */
export class ApiMetrics {
  /** `action\0code` → requests answered. */
  readonly #requests = new Map<string, number>();
  /** action → latency histogram. */
  readonly #durations = new Map<string, { counts: number[]; sum: number; count: number }>();
  #committed = 0;
  /** Single-host mode: the in-process agent's metrics (issue 5, agent/agent-metrics.ts), appended when set. */
  agentMetrics: (() => string) | undefined;

  /** Upper bounds of the latency buckets, in seconds: commits fsync, so writes sit near 1 ms. */
  static readonly BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] as const;

  /** The Content-Type of `render()`. */
  readonly contentType = 'text/plain; version=0.0.4; charset=utf-8';

  /** Records one answered request. `action` must come from a bounded set (unknown → `unknown`). */
  observe(action: string, code: string, seconds: number): void {
    const key = `${action}\0${code}`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    let histogram = this.#durations.get(action);
    if (histogram === undefined) {
      histogram = { counts: ApiMetrics.BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.#durations.set(action, histogram);
    }
    for (let i = 0; i < ApiMetrics.BUCKETS.length; i++) if (seconds <= (ApiMetrics.BUCKETS[i] ?? 0)) histogram.counts[i] = (histogram.counts[i] ?? 0) + 1;
    histogram.sum += seconds;
    histogram.count++;
  }

  /** Records committed change records. */
  committed(count: number): void {
    this.#committed += count;
  }

  /** The metrics in the Prometheus text format. */
  render(): string {
    const lines = [
      '# HELP stockade_requests_total EC2 Query requests answered, by action and result code (OK on success).',
      '# TYPE stockade_requests_total counter',
    ];
    for (const [key, value] of this.#requests) {
      const [action, code] = key.split('\0');
      lines.push(`stockade_requests_total{action="${label(action)}",code="${label(code)}"} ${value}`);
    }
    lines.push(
      '# HELP stockade_request_duration_seconds Time from request received to response sent, by action.',
      '# TYPE stockade_request_duration_seconds histogram',
    );
    for (const [action, h] of this.#durations) {
      ApiMetrics.BUCKETS.forEach((le, i) =>
        lines.push(`stockade_request_duration_seconds_bucket{le="${le}",action="${label(action)}"} ${h.counts[i] ?? 0}`),
      );
      lines.push(`stockade_request_duration_seconds_bucket{le="+Inf",action="${label(action)}"} ${h.count}`);
      lines.push(`stockade_request_duration_seconds_sum{action="${label(action)}"} ${h.sum}`);
      lines.push(`stockade_request_duration_seconds_count{action="${label(action)}"} ${h.count}`);
    }
    lines.push(
      '# HELP stockade_change_records_total Change records committed or caught up by this process.',
      '# TYPE stockade_change_records_total counter',
      `stockade_change_records_total ${this.#committed}`,
    );
    // Memory as operators size it (issue 12 sets a budget per stored rule): the live JavaScript
    // heap, and the process's resident set.
    const memory = process.memoryUsage();
    lines.push(
      '# HELP stockade_heap_used_bytes Live JavaScript heap of this process.',
      '# TYPE stockade_heap_used_bytes gauge',
      `stockade_heap_used_bytes ${memory.heapUsed}`,
      '# HELP stockade_resident_memory_bytes Resident set size of this process.',
      '# TYPE stockade_resident_memory_bytes gauge',
      `stockade_resident_memory_bytes ${memory.rss}`,
    );
    return `${lines.join('\n')}\n${this.agentMetrics?.() ?? ''}`;
  }
}

// Label values escape backslash, double quote and newline (Prometheus exposition format).
function label(value: string | undefined): string {
  return (value ?? '').replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}
