import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode } from '@apollo/query-planner';
import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';

export interface SubscriptionPlan {
  /** The fetch that opens the stream at the subgraph owning the subscription field. */
  primary: FetchNode;
  /** What the rest of the selection needs from other subgraphs, per event. */
  rest: PlanNode | undefined;
}

/**
 * Plans subscriptions over the supergraph. @apollo/gateway plans them too but refuses to run
 * them; the gateway streams the primary fetch itself and runs the rest with executeQueryPlan.
 */
export class SubscriptionPlanner {
  readonly apiSchema: Schema;
  readonly apiGraphQLSchema: GraphQLSchema;
  readonly supergraphGraphQLSchema: GraphQLSchema;
  private readonly planner: QueryPlanner;

  constructor(supergraphSdl: string) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.apiSchema = supergraph.apiSchema();
    this.apiGraphQLSchema = this.apiSchema.toGraphQLJSSchema();
    this.supergraphGraphQLSchema = supergraph.schema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(supergraph);
  }

  plan(document: DocumentNode, operationName: string | undefined): SubscriptionPlan {
    let plan;
    try {
      plan = this.planner.buildQueryPlan(operationFromDocument(this.apiSchema, document, { operationName, validate: false }));
    } catch (error) {
      // e.g. @include/@skip on the root subscription field, which the planner cannot split.
      throw new GraphQLError(`This subscription cannot be planned: ${error instanceof Error ? error.message : String(error)}`, {
        extensions: { code: 'VALIDATION_ERROR' },
      });
    }
    if (plan.node?.kind !== 'Subscription') throw new GraphQLError('Not a subscription', { extensions: { code: 'VALIDATION_ERROR' } });
    return { primary: plan.node.primary, rest: plan.node.rest };
  }
}
