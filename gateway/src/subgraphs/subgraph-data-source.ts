import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayContext } from '../graphql/gateway-context.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { SubgraphClient } from './subgraph-client.js';

type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/** Apollo Gateway's fetch to one subgraph: the caller's signed assertion travels with it. */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    private readonly client: SubgraphClient,
    private readonly metrics: GatewayMetrics,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const context = 'incomingRequestContext' in options ? (options.context as GatewayContext) : null;
    const stop = this.metrics.subgraphFetchDuration.startTimer({ subgraph: this.client.name });
    try {
      return (await this.client.execute({
        query: options.request.query ?? '',
        operationName: options.request.operationName ?? null,
        variables: options.request.variables ?? null,
        callerToken: context ? await context.callerToken() : null,
        requestId: context?.requestId ?? 'gateway',
      })) as GatewayGraphQLResponse;
    } finally {
      stop();
    }
  }
}
