import { randomUUID } from 'node:crypto';
import http from 'node:http';
import express from 'express';
import { print } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { CALLER_HEADER } from '@deskgraph/auth';
import type { Logger } from '@deskgraph/runtime';
import type { Subgraph } from './subgraph.js';

export interface StandaloneSubgraph {
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves one subgraph over HTTP for the gateway's remote mode: `POST /graphql` runs the
 * very same `execute` the in-process mode calls, and `GET /health` reports the subgraph.
 * The gateway's signed caller assertion arrives in a header and is verified there.
 */
export async function serveSubgraph(
  subgraph: Subgraph,
  options: { host: string; port: number; logger: Logger; bodyLimit?: string },
): Promise<StandaloneSubgraph> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', async (_request, response) => {
    const report = await subgraph.health();
    response.status(report.status === 'UNHEALTHY' ? 503 : 200).json(report);
  });
  app.post('/graphql', express.json({ limit: options.bodyLimit ?? '1mb' }), async (request, response) => {
    const body = request.body as { query?: unknown; operationName?: unknown; variables?: unknown } | undefined;
    if (!body || typeof body.query !== 'string') {
      response.status(400).json({ errors: [{ message: 'Expected a JSON body with a query', extensions: { code: 'VALIDATION_ERROR' } }] });
      return;
    }
    const result = await subgraph.execute({
      query: body.query,
      operationName: typeof body.operationName === 'string' ? body.operationName : null,
      variables: typeof body.variables === 'object' ? (body.variables as Record<string, unknown> | null) : null,
      callerToken: request.header(CALLER_HEADER) ?? null,
      requestId: request.header('x-request-id') ?? randomUUID(),
    });
    response.json(result);
  });
  const server = http.createServer(app);
  const subscriptions = serveSubscriptions(subgraph, server);
  let stopped = false;
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  options.logger.info({ subgraph: subgraph.name, port }, 'subgraph listening');
  return {
    url: `http://${options.host}:${port}/graphql`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await subscriptions.close();
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * graphql-ws on the subgraph's `/graphql` for the gateway's remote subscriptions: the signed
 * caller arrives in `connection_init` (`callerToken`) and is verified by `subscribe`.
 */
function serveSubscriptions(subgraph: Subgraph, server: http.Server): { close(): Promise<void> } {
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const cleanup = useServer<{ callerToken?: string; requestId?: string }>(
    {
      schema: subgraph.schema,
      subscribe: async (args) => {
        const params = (args.contextValue ?? {}) as { callerToken?: string; requestId?: string };
        return (await subgraph.subscribe({
          query: print(args.document),
          operationName: args.operationName ?? null,
          variables: (args.variableValues ?? null) as Record<string, unknown> | null,
          callerToken: params.callerToken ?? null,
          requestId: params.requestId ?? randomUUID(),
        })) as never;
      },
      context: (ctx) => ctx.connectionParams ?? {},
      // Results are formatted by the subgraph already: pass them through as they are.
      onNext: (_ctx, _id, _payload, _args, result) => result as never,
    },
    wss,
  );
  return {
    async close() {
      for (const client of wss.clients) client.close(1001, 'Subgraph shutting down');
      await cleanup.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
