import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  GraphQLError,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FormattedExecutionResult,
  type ValidationRule,
} from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Caller, CallerAssertions } from '@deskgraph/auth';
import { AppError } from '@deskgraph/errors';
import type { EventBus } from '@deskgraph/events';
import type { Logger } from '@deskgraph/runtime';
import type { Authenticator } from '../auth/authenticator.js';
import type { GatewayContext } from '../graphql/gateway-context.js';
import { gatewayContextFor } from '../request-context.js';
import { FrameWriter } from './frame-writer.js';
import type { SubscriptionExecutor } from './subscription-executor.js';
import type { SubscriptionHub } from './subscription-hub.js';
import type { SubscriptionPlanner } from './subscription-plan.js';

/** Close codes beyond graphql-ws's own. */
export const SLOW_CONSUMER = 1013;
export const GOING_AWAY = 1001;

interface Connection {
  socket: WebSocket;
  caller: Caller;
  context: GatewayContext;
  expiry: NodeJS.Timeout | null;
}

export interface SubscriptionServerOptions {
  authenticator: Authenticator;
  assertions: CallerAssertions;
  bus: EventBus;
  logger: Logger;
  planner: SubscriptionPlanner;
  executor: SubscriptionExecutor;
  hub: SubscriptionHub;
  validationRules: ValidationRule[];
  maxTokens: number;
  /** Results a subscriber may fall behind before it is disconnected. */
  queueLimit: number;
  /** Bytes waiting in a socket's send buffer before it is disconnected. */
  maxBufferedBytes: number;
  /** Verified JWT expiry of a caller, when it has one (epoch seconds). */
  expiryOf(authorization: string | undefined): Promise<number | null>;
}

export interface SubscriptionServer {
  wss: WebSocketServer;
  /** Open connections. */
  connections(): number;
  /** Upstream streams open and their subscribers: a subscription counts once the owning subgraph listens. */
  streams(): { groups: number; subscribers: number };
  /** Completes every subscription with a reason, closes every socket, stops accepting. */
  close(reason: string): Promise<void>;
}

function header(params: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) if (typeof params[name] === 'string') return params[name] as string;
  return undefined;
}

/**
 * graphql-ws on the gateway's `/graphql`: authentication in `connection_init` with the HTTP
 * rules (close 4401 for bad credentials, 4403 when refused), live subscriptions ended when the
 * session ends (logout, deactivation, role change, key revocation) or the token expires, a
 * bounded queue and send buffer per subscriber, keep-alive pings.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const connections = new Map<WebSocket, Connection>();
  const closeWhere = (match: (connection: Connection) => boolean, code: number, reason: string) => {
    for (const connection of connections.values()) if (match(connection)) connection.socket.close(code, reason);
  };

  const unsubscribe = options.bus.subscribe((event) => {
    const payload = event.payload;
    if (event.type === 'session.revoked') closeWhere((c) => c.caller.sessionId === payload.sessionId, CloseCode.Forbidden, 'Session ended');
    if (event.type === 'user.deactivated' || event.type === 'user.role_changed') {
      closeWhere((c) => c.caller.userId === payload.userId, CloseCode.Forbidden, 'Access changed');
    }
    if (event.type === 'api_key.revoked') closeWhere((c) => c.caller.apiKeyId === payload.apiKeyId, CloseCode.Forbidden, 'API key revoked');
  });

  /** Writes a ready frame; a socket that buffers too much is closed as a slow consumer. */
  const send = (socket: WebSocket, frame: string): boolean => {
    if (socket.readyState !== socket.OPEN) return false;
    if (socket.bufferedAmount > options.maxBufferedBytes) {
      socket.close(SLOW_CONSUMER, 'Subscriber too slow');
      return false;
    }
    socket.send(frame);
    return true;
  };

  /**
   * Each query text parsed and validated once: validation depends on the document alone (no
   * caller, no variables), and thousands of sockets usually send the same few documents.
   */
  const checked = new Map<string, { document: DocumentNode; errors: readonly GraphQLError[] }>();
  const check = (query: string) => {
    let found = checked.get(query);
    if (!found) {
      const document = parse(query, { maxTokens: options.maxTokens });
      const errors = validate(options.planner.apiGraphQLSchema, document, [...specifiedRules, ...options.validationRules]);
      found = { document, errors };
      if (checked.size > 1000) checked.clear();
      checked.set(query, found);
    }
    return found;
  };

  const cleanup = useServer<Record<string, unknown>, { socket: WebSocket; request: IncomingMessage }>(
    {
      schema: options.planner.apiGraphQLSchema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const authorization =
          header(params, 'authorization', 'Authorization') ?? (typeof params.token === 'string' ? `Bearer ${params.token}` : undefined);
        const apiKey = header(params, 'apiKey', 'x-api-key', 'X-API-Key');
        let caller: Caller | null;
        try {
          caller = await options.authenticator.authenticate({ authorization, apiKey });
        } catch (error) {
          const code = error instanceof AppError && error.code === 'UNAUTHORIZED' ? CloseCode.Unauthorized : CloseCode.Forbidden;
          ctx.extra.socket.close(code, error instanceof AppError ? error.message : 'Forbidden');
          return false;
        }
        if (!caller) {
          ctx.extra.socket.close(CloseCode.Unauthorized, 'Invalid or missing authentication');
          return false;
        }
        const requestId = `ws-${randomUUID()}`;
        const context = gatewayContextFor({
          caller,
          authError: null,
          requestId,
          logger: options.logger,
          assertions: options.assertions,
          anonymousSubject: `ip:${ctx.extra.request.socket.remoteAddress ?? 'unknown'}`,
        });
        const expiresAt = await options.expiryOf(authorization);
        const socket = ctx.extra.socket;
        const expiry = expiresAt
          ? setTimeout(() => socket.close(CloseCode.Unauthorized, 'Access token expired'), Math.max(0, expiresAt * 1000 - Date.now()))
          : null;
        expiry?.unref();
        connections.set(socket, { socket, caller, context, expiry });
        return true;
      },
      onClose: (ctx) => {
        const connection = connections.get(ctx.extra.socket);
        if (connection?.expiry) clearTimeout(connection.expiry);
        connections.delete(ctx.extra.socket);
      },
      onSubscribe: (ctx, id, payload) => {
        const connection = connections.get(ctx.extra.socket);
        if (!connection) return [new GraphQLError('Not connected', { extensions: { code: 'UNAUTHORIZED' } })];
        let document: DocumentNode;
        let errors: readonly GraphQLError[];
        try {
          ({ document, errors } = check(payload.query));
        } catch (error) {
          return [new GraphQLError((error as Error).message, { extensions: { code: 'VALIDATION_ERROR' } })];
        }
        if (errors.length > 0) return errors.map((error) => new GraphQLError(error.message, { extensions: { code: 'VALIDATION_ERROR' } }));
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation !== 'subscription') {
          return [
            new GraphQLError('Send queries and mutations over HTTP POST /graphql; this socket carries subscriptions', {
              extensions: { code: 'VALIDATION_ERROR' },
            }),
          ];
        }
        return {
          schema: options.planner.apiGraphQLSchema,
          document,
          operationName: payload.operationName ?? undefined,
          variableValues: payload.variables ?? {},
          contextValue: { connection, query: payload.query, id },
        };
      },
      subscribe: async (args) => {
        const { connection, query, id } = args.contextValue as { connection: Connection; query: string; id: string };
        const variables = (args.variableValues ?? {}) as Record<string, unknown>;
        const { caller } = connection;
        const scope = [caller.tenantId, caller.kind, caller.userId ?? caller.apiKeyId, caller.role, caller.scopes.join(',')].join('|');
        const key = JSON.stringify([query, args.operationName ?? null, variables, scope]);
        try {
          const stream = await options.hub.subscribe(
            key,
            () => options.executor.subscribe(args.document, query, variables, args.operationName ?? undefined, connection.context),
            { queueLimit: options.queueLimit, onOverflow: () => connection.socket.close(SLOW_CONSUMER, 'Subscriber too slow') },
          );
          if (!(Symbol.asyncIterator in stream)) return stream as never;
          return new FrameWriter(id, stream, (frame) => send(connection.socket, frame)) as never;
        } catch (error) {
          if (error instanceof GraphQLError) return { errors: [error] } as never;
          throw error;
        }
      },
      // Only single results pass here (a stream that could not start); streams write their own frames.
      // They are formatted already (codes, no internals): graphql-ws would call toJSON on each error.
      onNext: (_ctx, _id, _payload, _args, result) => {
        const formatted = result as FormattedExecutionResult & { errors?: readonly unknown[] };
        return {
          ...(formatted.data !== undefined ? { data: formatted.data } : {}),
          ...(formatted.errors
            ? { errors: formatted.errors.map((error) => (error instanceof GraphQLError ? error.toJSON() : error)) }
            : {}),
        } as never;
      },
    },
    wss,
    12_000,
  );

  return {
    wss,
    connections: () => connections.size,
    streams: () => options.hub.stats(),
    async close(reason) {
      unsubscribe();
      await options.hub.closeAll();
      for (const connection of connections.values()) connection.socket.close(GOING_AWAY, reason);
      await cleanup.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
