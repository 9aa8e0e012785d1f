import { GraphQLError, Kind, type FragmentDefinitionNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayOptions, RateLimitCategory } from '../options.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { rateLimitHeaders, type RateLimitDecision, type RateLimiter } from '../protection/rate-limiter.js';
import type { GatewayContext } from './gateway-context.js';
import { estimateCost } from './limits.js';
import { categoryOf } from './rate-limit-categories.js';

/** Rate-limit decisions by request context, for the response headers. */
const decisions = new WeakMap<object, RateLimitDecision>();

/**
 * Cost limit and rate limit once the operation is known, rate-limit headers on every
 * response, request ids on internal errors, metrics and logging of unexpected failures.
 */
export function gatewayPlugin(options: {
  limits: GatewayOptions['graphqlLimits'];
  rateLimiter: RateLimiter;
  categories: Map<string, RateLimitCategory>;
  metrics: GatewayMetrics;
}): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, contextValue, schema }) {
          if (!operation) return;
          if (operation.operation === 'subscription') {
            throw new GraphQLError('Subscriptions run over graphql-ws: open a WebSocket on /graphql', {
              extensions: { code: 'VALIDATION_ERROR', http: { status: 400 } },
            });
          }
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          const cost = estimateCost(schema, operation, fragments, request.variables ?? {});
          if (cost > options.limits.maxCost) {
            throw new GraphQLError(`Query cost ${cost} exceeds the limit of ${options.limits.maxCost}; request smaller pages`, {
              extensions: { code: 'VALIDATION_ERROR', http: { status: 400 } },
            });
          }
          const decision = await options.rateLimiter.check(
            categoryOf(operation, fragments, options.categories),
            contextValue.rateLimitSubject,
          );
          decisions.set(contextValue, decision);
          if (!decision.allowed) {
            options.metrics.rateLimited.inc({ category: decision.category });
            throw new GraphQLError('Too many requests', { extensions: { code: 'RATE_LIMITED', http: { status: 429 } } });
          }
        },
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            if (code === undefined || code === 'INTERNAL_SERVER_ERROR') {
              contextValue.logger.error({ err: error.originalError ?? error, path: error.path }, 'unexpected GraphQL error');
            }
          }
        },
        async willSendResponse({ response, contextValue, operation, errors }) {
          const decision = decisions.get(contextValue);
          if (decision) for (const [name, value] of Object.entries(rateLimitHeaders(decision))) response.http.headers.set(name, value);
          if (response.body.kind === 'single' && response.body.singleResult.errors) {
            for (const error of response.body.singleResult.errors) {
              if (error.extensions?.code === 'INTERNAL_ERROR' && !error.extensions.requestId) {
                (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
              }
            }
          }
          options.metrics.graphqlOperations.inc({ type: operation?.operation ?? 'unknown', outcome: errors?.length ? 'error' : 'success' });
        },
      };
    },
  };
}
