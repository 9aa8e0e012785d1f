import http from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { expressMiddleware } from '@as-integrations/express5';
import { GraphQLError } from 'graphql';
import { pinoHttp } from 'pino-http';
import { CallerAssertions } from '@deskgraph/auth';
import { createEventBus, type EventBus } from '@deskgraph/events';
import { createLogger, type Logger } from '@deskgraph/runtime';
import { subgraphNames, type Subgraph, type SubgraphName } from '@deskgraph/subgraph-kit';
import { Authenticator } from './auth/authenticator.js';
import { ChatOperations } from './chat-widget/chat-operations.js';
import { startChatWidgetServer, type ChatWidgetServer } from './chat-widget/chat-widget-server.js';
import { createApolloServer } from './graphql/apollo-server.js';
import { graphiqlRouter } from './ide/graphiql-page.js';
import { checkHealth } from './observability/health.js';
import { httpMetrics } from './observability/http-metrics.js';
import { hostSubgraphs } from './subgraphs/host-subgraphs.js';
import { GatewayMetrics } from './observability/metrics.js';
import type { GatewayOptions } from './options.js';
import { createRateLimitStore } from './protection/rate-limit-store.js';
import { RateLimiter } from './protection/rate-limiter.js';
import { assignRequestId, authenticateRequest } from './request-context.js';
import { restErrorHandler, restRouter } from './rest/rest-router.js';
import { restRoutes } from './rest/routes.js';
import { SubgraphDataSource } from './subgraphs/subgraph-data-source.js';
import { aliasLimit, depthLimit } from './graphql/limits.js';
import { SubscriptionExecutor } from './subscriptions/subscription-executor.js';
import { SubscriptionHub } from './subscriptions/subscription-hub.js';
import { SubscriptionPlanner } from './subscriptions/subscription-plan.js';
import { startSubscriptionServer, type SubscriptionServer } from './subscriptions/websocket-server.js';

export const SUPERGRAPH_PATH = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));

export interface RunningGateway {
  url: string;
  port: number;
  logger: Logger;
  bus: EventBus;
  /** The subgraphs running in this process. */
  subgraphs: Subgraph[];
  /** The graphql-ws endpoint on `/graphql`. */
  subscriptions: SubscriptionServer;
  /** The 001 chat WebSocket for web-chat visitors on `/ws`. */
  chatWidget: ChatWidgetServer;
  /** Completes subscriptions, closes chat connections, drains HTTP, then stops Apollo, subgraphs, the bus and the embedded database. */
  stop(): Promise<void>;
}

/** Builds and starts the whole gateway process: every in-process subgraph, Apollo, REST, health, metrics. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const logger = createLogger({ name: 'gateway', level: options.logLevel });
  const bus = createEventBus({ redisUrl: options.redisUrl, prefix: options.redisPrefix, logger });
  const assertions = new CallerAssertions(options.internalTokenSecret);
  const metrics = new GatewayMetrics();

  const hosted = await hostSubgraphs(options, { bus, assertions, logger });
  const { clients, subgraphs } = hosted;
  const store = await createRateLimitStore(options.redisUrl, options.redisPrefix, logger);
  const rateLimiter = new RateLimiter(store, options.rateLimits, logger);
  const authenticator = new Authenticator({ jwtSecret: options.jwtSecret, identity: clients.identity, assertions, bus });
  const supergraphSdl = readFileSync(SUPERGRAPH_PATH, 'utf8');
  const dataSources = Object.fromEntries(subgraphNames.map((name) => [name, new SubgraphDataSource(clients[name], metrics)])) as Record<
    SubgraphName,
    SubgraphDataSource
  >;
  const apollo = createApolloServer({
    supergraphSdl,
    dataSources,
    gatewayOptions: options,
    rateLimiter,
    metrics,
    logger,
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy);
  app.use(assignRequestId);
  app.use(
    pinoHttp({
      logger,
      genReqId: (request) => (request as express.Request).requestId,
      autoLogging: { ignore: (request) => request.url === '/metrics' || request.url?.startsWith('/health') === true },
    }),
  );
  app.use(httpMetrics(metrics));
  app.get('/health/live', (_request, response) => {
    response.json({ status: 'alive' });
  });
  app.get('/health', async (_request, response) => {
    const report = await checkHealth(Object.values(clients), bus, Boolean(options.redisUrl));
    response.status(report.status === 'unhealthy' ? 503 : 200).json(report);
  });
  app.get('/metrics', async (_request, response) => {
    response.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use(graphiqlRouter());
  app.use(authenticateRequest({ authenticator, assertions, logger }));
  app.use(express.json({ limit: options.bodyLimit }));
  app.use(
    '/graphql',
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const context = req.gatewayContext;
        if (context.authError) {
          const status = context.authError.code === 'UNAUTHORIZED' ? 401 : 503;
          throw new GraphQLError(context.authError.message, { extensions: { code: context.authError.code, http: { status } } });
        }
        return context;
      },
    }),
  );
  app.use(restRouter(restRoutes, apollo));
  app.use(restErrorHandler(logger));

  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  const planner = new SubscriptionPlanner(supergraphSdl);
  const executor = new SubscriptionExecutor(planner, clients, dataSources);
  const subscriptions = startSubscriptionServer({
    authenticator,
    assertions,
    bus,
    logger,
    planner,
    executor,
    hub: new SubscriptionHub(),
    validationRules: [depthLimit(options.graphqlLimits.maxDepth), aliasLimit(options.graphqlLimits.maxAliases)],
    maxTokens: options.graphqlLimits.maxTokens,
    queueLimit: 100,
    maxBufferedBytes: 4 * 1024 * 1024,
    expiryOf: (authorization) => authenticator.tokenExpiry(authorization).catch(() => null),
  });
  const chatWidget = startChatWidgetServer({
    operations: new ChatOperations({ apollo, support: clients.support, planner, executor, assertions, logger }),
    bus,
    logger,
    trustProxy: options.trustProxy,
  });
  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://gateway').pathname;
    if (path === '/ws') {
      chatWidget.handleUpgrade(request, socket, head);
      return;
    }
    if (path !== '/graphql') {
      socket.destroy();
      return;
    }
    subscriptions.wss.handleUpgrade(request, socket, head, (websocket) => subscriptions.wss.emit('connection', websocket, request));
  });
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  logger.info(
    { port, inProcess: hosted.local, remote: Object.keys(options.subgraphUrls) },
    `deskgraph gateway ready at http://${host}:${port}/graphql`,
  );

  return {
    url: `http://${host}:${port}`,
    port,
    logger,
    bus,
    subgraphs,
    subscriptions,
    chatWidget,
    async stop() {
      await subscriptions.close('Server shutting down');
      await chatWidget.close('Server shutting down');
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
      authenticator.close();
      await hosted.stop();
      await store.close();
      await bus.close();
    },
  };
}
