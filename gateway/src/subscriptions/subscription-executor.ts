import { buildOperationContext, executeQueryPlan, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import type { PlanNode, QueryPlan } from '@apollo/query-planner';
import type { DocumentNode, FormattedExecutionResult } from 'graphql';
import type { SubgraphName } from '@deskgraph/subgraph-kit';
import { formatGatewayError } from '../graphql/format-error.js';
import type { GatewayContext } from '../graphql/gateway-context.js';
import type { SubgraphClient } from '../subgraphs/subgraph-client.js';
import type { SubscriptionPlanner } from './subscription-plan.js';

/** The made-up service whose "fetch" answers with the event the primary stream delivered. */
const REPLAY = '__subscription_event__';

export type ResultStream = AsyncIterableIterator<FormattedExecutionResult>;

/**
 * Runs a federated subscription: the primary fetch streams from the subgraph that owns the
 * field; for each event the rest of the query plan runs through the gateway's normal
 * executeQueryPlan, with the event replayed as the primary fetch's result, so fields of other
 * subgraphs are resolved (batched) like in any query, with fresh subgraph contexts per event.
 */
export class SubscriptionExecutor {
  constructor(
    private readonly planner: SubscriptionPlanner,
    private readonly clients: Record<SubgraphName, SubgraphClient>,
    private readonly dataSources: Record<string, GraphQLDataSource>,
  ) {}

  async subscribe(
    document: DocumentNode,
    query: string,
    variables: Record<string, unknown>,
    operationName: string | undefined,
    context: GatewayContext,
  ): Promise<ResultStream | FormattedExecutionResult> {
    const { primary, rest } = this.planner.plan(document, operationName);
    const client = this.clients[primary.serviceName as SubgraphName];
    const upstream = await client.subscribe({
      query: primary.operation,
      operationName: primary.operationName ?? null,
      variables: Object.fromEntries((primary.variableUsages ?? []).map((name) => [name, variables[name]])),
      callerToken: await context.callerToken(),
      requestId: context.requestId,
    });
    if (!(Symbol.asyncIterator in upstream)) return { errors: (upstream.errors ?? []).map(formatGatewayError) };
    const operationContext = buildOperationContext({ schema: this.planner.apiGraphQLSchema, operationDocument: document, operationName });
    const replayed = { ...primary, serviceName: REPLAY };
    const plan: QueryPlan = { kind: 'QueryPlan', node: rest ? ({ kind: 'Sequence', nodes: [replayed, rest] } as PlanNode) : replayed };
    const requestContext = {
      request: { query, variables, operationName },
      context,
      logger: context.logger,
      metrics: {},
      document,
      operationName,
    };

    const hydrate = async (event: FormattedExecutionResult): Promise<FormattedExecutionResult> => {
      if (!event.data) return { errors: (event.errors ?? []).map(formatGatewayError) };
      const serviceMap: ServiceMap = {
        ...this.dataSources,
        [REPLAY]: { process: async () => ({ data: event.data, ...(event.errors ? { errors: event.errors } : {}) }) } as GraphQLDataSource,
      };
      const result = await executeQueryPlan(
        plan,
        serviceMap,
        requestContext as never,
        operationContext,
        this.planner.supergraphGraphQLSchema,
        this.planner.apiSchema,
      );
      return {
        data: result.data,
        ...(result.errors?.length ? { errors: result.errors.map((error) => formatGatewayError(error.toJSON())) } : {}),
      };
    };

    const stream: ResultStream = {
      async next() {
        const next = await upstream.next();
        return next.done ? { value: undefined, done: true } : { value: await hydrate(next.value), done: false };
      },
      async return() {
        await upstream.return?.();
        return { value: undefined, done: true };
      },
      async throw(error?: unknown) {
        await upstream.return?.();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return stream;
      },
    };
    return stream;
  }
}
