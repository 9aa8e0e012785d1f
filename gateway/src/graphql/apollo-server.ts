import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Logger } from '@deskgraph/runtime';
import type { SubgraphName } from '@deskgraph/subgraph-kit';
import type { GatewayOptions } from '../options.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { RateLimiter } from '../protection/rate-limiter.js';
import { formatGatewayError } from './format-error.js';
import type { GatewayContext } from './gateway-context.js';
import { gatewayPlugin } from './gateway-plugin.js';
import { aliasLimit, depthLimit } from './limits.js';
import { rateLimitCategories } from './rate-limit-categories.js';

/** Apollo Server over Apollo Gateway, planning over the checked-in supergraph (no runtime introspection). */
export function createApolloServer(options: {
  supergraphSdl: string;
  dataSources: Record<SubgraphName, GraphQLDataSource>;
  gatewayOptions: GatewayOptions;
  rateLimiter: RateLimiter;
  metrics: GatewayMetrics;
  logger: Logger;
}): ApolloServer<GatewayContext> {
  const { gatewayOptions, metrics } = options;
  // @apollo/gateway reads this switch from the environment only: unless told otherwise it sends host
  // metrics to Apollo and probes the cloud providers' metadata services at start.
  process.env.APOLLO_TELEMETRY_DISABLED = gatewayOptions.apolloTelemetry ? 'false' : 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: options.logger,
    buildService: ({ name }) => {
      const dataSource = options.dataSources[name as SubgraphName];
      if (!dataSource) throw new Error(`The supergraph names an unknown subgraph: ${name}`);
      return dataSource;
    },
  });
  return new ApolloServer<GatewayContext>({
    gateway,
    logger: options.logger,
    introspection: !gatewayOptions.production,
    hideSchemaDetailsFromClientErrors: gatewayOptions.production,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    parseOptions: { maxTokens: gatewayOptions.graphqlLimits.maxTokens },
    validationRules: [depthLimit(gatewayOptions.graphqlLimits.maxDepth), aliasLimit(gatewayOptions.graphqlLimits.maxAliases)],
    formatError: (formatted) => formatGatewayError(formatted),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      gatewayPlugin({
        limits: gatewayOptions.graphqlLimits,
        rateLimiter: options.rateLimiter,
        categories: rateLimitCategories(options.supergraphSdl),
        metrics,
      }),
    ],
  });
}
