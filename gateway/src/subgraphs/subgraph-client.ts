import type { FormattedExecutionResult } from 'graphql';
import { CALLER_HEADER } from '@deskgraph/auth';
import type { Subgraph, SubgraphHealthReport, SubgraphName, SubgraphRequest } from '@deskgraph/subgraph-kit';

/** How the gateway talks to one subgraph, wherever it runs. */
export interface SubgraphClient {
  readonly name: SubgraphName;
  readonly mode: 'in-process' | 'remote';
  execute(request: SubgraphRequest): Promise<FormattedExecutionResult>;
  health(): Promise<SubgraphHealthReport | null>;
}

export function inProcessClient(subgraph: Subgraph, name: SubgraphName): SubgraphClient {
  return {
    name,
    mode: 'in-process',
    execute: (request) => subgraph.execute(request),
    health: () => subgraph.health(),
  };
}

const TIMEOUT_MS = 10_000;

/** A subgraph served by `serveSubgraph` in another process. */
export function remoteClient(name: SubgraphName, url: string): SubgraphClient {
  const healthUrl = new URL('/health', url).toString();
  return {
    name,
    mode: 'remote',
    async execute(request) {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': request.requestId };
      if (request.callerToken) headers[CALLER_HEADER] = request.callerToken;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers,
          body: JSON.stringify({ query: request.query, operationName: request.operationName, variables: request.variables }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        if (!response.ok && !response.headers.get('content-type')?.includes('json')) {
          return unavailable(name, `answered HTTP ${response.status}`);
        }
        return (await response.json()) as FormattedExecutionResult;
      } catch (error) {
        return unavailable(name, error instanceof Error ? error.message : String(error));
      }
    },
    async health() {
      try {
        const response = await fetch(healthUrl, { signal: AbortSignal.timeout(TIMEOUT_MS) });
        return (await response.json()) as SubgraphHealthReport;
      } catch {
        return null;
      }
    },
  };
}

function unavailable(name: string, reason: string): FormattedExecutionResult {
  return { errors: [{ message: `The ${name} service is unavailable (${reason})`, extensions: { code: 'SERVICE_UNAVAILABLE' } }] };
}
