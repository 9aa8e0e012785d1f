import type { FormattedExecutionResult } from 'graphql';
import { createClient } from 'graphql-ws';
import { Pool } from 'undici';
import WebSocket from 'ws';
import { CALLER_HEADER } from '@deskgraph/auth';
import type { Subgraph, SubgraphHealthReport, SubgraphName, SubgraphRequest } from '@deskgraph/subgraph-kit';

/** How the gateway talks to one subgraph, wherever it runs. */
export interface SubgraphClient {
  readonly name: SubgraphName;
  readonly mode: 'in-process' | 'remote';
  execute(request: SubgraphRequest): Promise<FormattedExecutionResult>;
  /** Opens a subscription at the subgraph: a stream of results, or the errors that refused it. */
  subscribe(request: SubgraphRequest): Promise<AsyncIterableIterator<FormattedExecutionResult> | FormattedExecutionResult>;
  health(): Promise<SubgraphHealthReport | null>;
  /** Releases connections (remote clients). */
  close(): Promise<void>;
}

export function inProcessClient(subgraph: Subgraph, name: SubgraphName): SubgraphClient {
  return {
    name,
    mode: 'in-process',
    execute: (request) => subgraph.execute(request),
    subscribe: (request) => subgraph.subscribe(request),
    health: () => subgraph.health(),
    close: async () => undefined,
  };
}

const TIMEOUT_MS = 10_000;

/** A subgraph served by `serveSubgraph` in another process. */
export function remoteClient(name: SubgraphName, url: string): SubgraphClient {
  const target = new URL(url);
  // A keep-alive pool per subgraph: cheaper per call than fetch with an abort signal each time.
  const pool = new Pool(target.origin, { connections: 32, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
  return {
    name,
    mode: 'remote',
    async execute(request) {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': request.requestId };
      if (request.callerToken) headers[CALLER_HEADER] = request.callerToken;
      try {
        const response = await pool.request({
          method: 'POST',
          path: target.pathname,
          headers,
          body: JSON.stringify({ query: request.query, operationName: request.operationName, variables: request.variables }),
        });
        if (!String(response.headers['content-type'] ?? '').includes('json')) {
          await response.body.dump();
          return unavailable(name, `answered HTTP ${response.statusCode}`);
        }
        return (await response.body.json()) as FormattedExecutionResult;
      } catch (error) {
        return unavailable(name, error instanceof Error ? error.message : String(error));
      }
    },
    subscribe: (request) => remoteSubscription(name, url, request),
    async health() {
      try {
        const response = await pool.request({ method: 'GET', path: '/health' });
        return (await response.body.json()) as SubgraphHealthReport;
      } catch {
        return null;
      }
    },
    close: () => pool.close(),
  };
}

function unavailable(name: string, reason: string): FormattedExecutionResult {
  return { errors: [{ message: `The ${name} service is unavailable (${reason})`, extensions: { code: 'SERVICE_UNAVAILABLE' } }] };
}

/**
 * A subscription at a remote subgraph over graphql-ws (one connection per subscription; the
 * signed caller travels in connection_init). The stream ends when the subgraph completes it.
 */
async function remoteSubscription(
  name: SubgraphName,
  url: string,
  request: SubgraphRequest,
): Promise<AsyncIterableIterator<FormattedExecutionResult> | FormattedExecutionResult> {
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: { callerToken: request.callerToken, requestId: request.requestId },
  });
  const upstream = client.iterate<Record<string, unknown>>({
    query: request.query,
    operationName: request.operationName ?? undefined,
    variables: request.variables ?? undefined,
  });
  const stream: AsyncIterableIterator<FormattedExecutionResult> = {
    async next() {
      try {
        const next = await upstream.next();
        if (next.done) await client.dispose();
        return next.done ? { value: undefined, done: true } : { value: next.value as FormattedExecutionResult, done: false };
      } catch (error) {
        await client.dispose();
        const reason = Array.isArray(error) ? (error as { message: string }[]).map((each) => each.message).join('; ') : String(error);
        return { value: unavailable(name, reason), done: false };
      }
    },
    async return() {
      await upstream.return?.(undefined);
      await client.dispose();
      return { value: undefined, done: true };
    },
    async throw(error?: unknown) {
      await stream.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}
