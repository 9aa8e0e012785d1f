import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

export interface LoadTarget {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The exact body every response must have: anything else (an error, partial data) counts as a failure. */
  expectedBody: string;
}

export interface LoadResult {
  durationSeconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  totalRequests: number;
  /** Responses in each second of the run, to see whether it was steady. */
  perSecond: number[];
  non2xx: number;
  /** Connection errors, timeouts included. */
  transportErrors: number;
  /** 2xx responses whose body was not the expected one (GraphQL errors, missing data). */
  wrongBodies: number;
  failures: number;
}

/** Drives `target` with a fixed number of keep-alive connections for `durationSeconds`. */
export async function runLoad(target: LoadTarget, options: { connections: number; durationSeconds: number }): Promise<LoadResult> {
  const latencies: number[] = [];
  const perSecond: number[] = [];
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...target.headers },
        body: target.body,
        connections: options.connections,
        duration: options.durationSeconds,
        expectBody: target.expectedBody,
        timeout: 10,
      },
      (error, finished) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(finished)),
    );
    // autocannon's own histogram has 1 ms resolution and no p95; keep every sample instead.
    instance.on('response', (_client, _statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      const second = Math.floor((performance.now() - started) / 1000);
      perSecond[second] = (perSecond[second] ?? 0) + 1;
    });
  });
  latencies.sort((a, b) => a - b);
  const transportErrors = result.errors;
  const failures = result.non2xx + transportErrors + result.mismatches;
  return {
    durationSeconds: result.duration,
    requestsPerSecond: result.requests.mean,
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? Number.NaN,
    },
    totalRequests: latencies.length,
    // Responses still in flight when the last full second ended are left out here.
    perSecond: Array.from(perSecond.slice(0, Math.floor(options.durationSeconds)), (count) => count ?? 0),
    non2xx: result.non2xx,
    transportErrors,
    wrongBodies: result.mismatches,
    failures,
  };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
