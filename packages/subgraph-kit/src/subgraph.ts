import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  execute,
  subscribe,
  parse,
  specifiedRules,
  validate,
  GraphQLError,
  type DocumentNode,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { EntitySchema, MigrationObject } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { CallerAssertions, Caller } from '@deskgraph/auth';
import { openDatabase, OutboxRelay } from '@deskgraph/database';
import type { EventBus } from '@deskgraph/events';
import { AppError } from '@deskgraph/errors';
import type { Logger } from '@deskgraph/runtime';
import { formatSubgraphError } from './format-error.js';
import { createRequestContext, type RequestContext } from './request-context.js';
import { mapStream } from './map-stream.js';
import { lowerCaseEnumResolvers, mergeResolvers } from './resolver-maps.js';
import { loadTypeDefs } from './schema-files.js';
import { scalarResolvers } from './scalars.js';
import { VERSION } from './version.js';

export type HealthStatus = 'HEALTHY' | 'DEGRADED' | 'UNHEALTHY';

export interface SubgraphHealthReport {
  name: string;
  status: HealthStatus;
  database: HealthStatus;
  version: string;
  uptimeSeconds: number;
}

/** One GraphQL request as a subgraph receives it from the gateway. */
export interface SubgraphRequest {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  /** The gateway's signed caller assertion, or null for an anonymous request. */
  callerToken: string | null;
  requestId: string;
}

/** A running subgraph, usable in-process by the gateway or served over HTTP on its own. */
export interface Subgraph<TContext extends RequestContext = RequestContext> {
  readonly name: string;
  readonly schema: GraphQLSchema;
  /** Builds the context of one request after verifying the caller assertion. */
  createContext(callerToken: string | null, requestId: string): Promise<TContext>;
  /** Executes one request in-process, with parsed and validated documents cached. */
  execute(request: SubgraphRequest): Promise<FormattedExecutionResult>;
  /** Starts a subscription: a stream of results, or a single result with the errors when it cannot start. */
  subscribe(request: SubgraphRequest): Promise<AsyncIterableIterator<FormattedExecutionResult> | FormattedExecutionResult>;
  health(): Promise<SubgraphHealthReport>;
  /** Publishes every committed outbox event now (tests, shutdown). */
  flushEvents(): Promise<void>;
  stop(): Promise<void>;
}

/** What the process gives every subgraph it hosts. */
export interface SubgraphDependencies {
  databaseUrl: string;
  bus: EventBus;
  assertions: CallerAssertions;
  logger: Logger;
  /** Connections in this subgraph's pool (default 5). */
  poolSize?: number;
  /** Called with every SQL statement (statement-count tests). */
  onQuery?: (sql: string) => void;
}

/** The parts of a started subgraph its services use. */
export interface SubgraphRuntime {
  orm: MikroORM;
  bus: EventBus;
  logger: Logger;
  relay: OutboxRelay;
}

export interface SubgraphDefinition<TContext extends RequestContext> {
  /** Also the PostgreSQL schema it owns and the folder of its SDL under `schema/`. */
  name: string;
  entities: EntitySchema<any, any>[];
  migrations: MigrationObject[];
  /** Each module's resolvers (the codegen `Resolvers` type), merged per type; scalars and the health field are added. */
  resolvers: readonly object[];
  /** Enums whose values are stored lower-case (`ADMIN` ↔ `admin`): the subgraph's src/stored-enums.ts. */
  lowerCaseEnums: readonly string[];
  /** Adds the subgraph's services to the base context. */
  extendContext: (base: RequestContext, runtime: SubgraphRuntime) => TContext;
  /** Starts background work (event consumers); returns how to stop it. */
  start?: (runtime: SubgraphRuntime) => (() => Promise<void>) | Promise<() => Promise<void>>;
}

const startedAt = Date.now();

/** Opens the subgraph's schema (migrating it), starts its outbox relay and background work. */
export async function createSubgraph<TContext extends RequestContext>(
  definition: SubgraphDefinition<TContext>,
  dependencies: SubgraphDependencies,
): Promise<Subgraph<TContext>> {
  const { name } = definition;
  const { assertions, bus } = dependencies;
  const logger = dependencies.logger.child({ subgraph: name });
  const orm = await openDatabase({
    url: dependencies.databaseUrl,
    schema: name,
    entities: definition.entities,
    migrations: definition.migrations,
    logger,
    poolSize: dependencies.poolSize ?? 5,
    onQuery: dependencies.onQuery,
  });
  const relay = new OutboxRelay({ orm, bus, source: name, schema: name, logger });
  orm.em.getEventManager().registerSubscriber(relay);
  relay.start();
  const runtime: SubgraphRuntime = { orm, bus, logger, relay };
  const stopBackground = (await definition.start?.(runtime)) ?? (async () => undefined);
  const typeDefs = loadTypeDefs(name);
  const merged = mergeResolvers([
    scalarResolvers,
    lowerCaseEnumResolvers(typeDefs, definition.lowerCaseEnums),
    { Query: { [`${name}Health`]: () => health() } },
    ...definition.resolvers,
  ]);
  const schema = buildSubgraphSchema({
    typeDefs,
    resolvers: merged as Parameters<typeof buildSubgraphSchema>[0] extends { resolvers?: infer R } ? R : never,
  });
  const documents = new LRUCache<string, DocumentNode | readonly GraphQLError[]>({ max: 1000 });

  async function health(): Promise<SubgraphHealthReport> {
    let database: HealthStatus = 'HEALTHY';
    try {
      await orm.em.getConnection().execute('select 1');
    } catch (error) {
      logger.warn({ err: error }, 'database health check failed');
      database = 'UNHEALTHY';
    }
    return { name, status: database, database, version: VERSION, uptimeSeconds: (Date.now() - startedAt) / 1000 };
  }

  async function createContext(callerToken: string | null, requestId: string): Promise<TContext> {
    const caller: Caller | null = callerToken ? await assertions.verify(callerToken) : null;
    const base = createRequestContext(orm, bus, caller, requestId, logger.child({ requestId }));
    return definition.extendContext(base, runtime);
  }

  function prepare(query: string): DocumentNode | readonly GraphQLError[] {
    let prepared = documents.get(query);
    if (!prepared) {
      try {
        const document = parse(query);
        const errors = validate(schema, document, specifiedRules);
        prepared = errors.length > 0 ? errors : document;
      } catch (error) {
        prepared = [error as GraphQLError];
      }
      documents.set(query, prepared);
    }
    return prepared;
  }

  async function executeRequest(request: SubgraphRequest): Promise<FormattedExecutionResult> {
    const prepared = prepare(request.query);
    if (!('kind' in prepared)) {
      return { errors: prepared.map((error) => formatSubgraphError(error, logger, request.requestId)) };
    }
    let contextValue: TContext;
    try {
      contextValue = await createContext(request.callerToken, request.requestId);
    } catch (error) {
      const graphqlError = new GraphQLError(error instanceof AppError ? error.message : 'Internal server error', {
        originalError: error as Error,
      });
      return { errors: [formatSubgraphError(graphqlError, logger, request.requestId)] };
    }
    const result: ExecutionResult = await execute({
      schema,
      document: prepared,
      operationName: request.operationName ?? undefined,
      variableValues: request.variables ?? undefined,
      contextValue,
    });
    return {
      data: result.data,
      ...(result.errors ? { errors: result.errors.map((error) => formatSubgraphError(error, logger, request.requestId)) } : {}),
    };
  }

  async function subscribeRequest(
    request: SubgraphRequest,
  ): Promise<AsyncIterableIterator<FormattedExecutionResult> | FormattedExecutionResult> {
    const prepared = prepare(request.query);
    if (!('kind' in prepared)) return { errors: prepared.map((error) => formatSubgraphError(error, logger, request.requestId)) };
    let contextValue: TContext;
    try {
      contextValue = await createContext(request.callerToken, request.requestId);
    } catch (error) {
      const graphqlError = new GraphQLError(error instanceof AppError ? error.message : 'Internal server error', {
        originalError: error as Error,
      });
      return { errors: [formatSubgraphError(graphqlError, logger, request.requestId)] };
    }
    const result = await subscribe({
      schema,
      document: prepared,
      operationName: request.operationName ?? undefined,
      variableValues: request.variables ?? undefined,
      contextValue,
    });
    const format = (each: ExecutionResult): FormattedExecutionResult => ({
      data: each.data,
      ...(each.errors ? { errors: each.errors.map((error) => formatSubgraphError(error, logger, request.requestId)) } : {}),
    });
    if (!(Symbol.asyncIterator in result)) return format(result);
    return mapStream(result, format);
  }

  return {
    name,
    schema,
    createContext,
    execute: executeRequest,
    subscribe: subscribeRequest,
    health,
    flushEvents: () => relay.drain(),
    async stop() {
      await stopBackground();
      await relay.stop();
      await orm.close();
    },
  };
}
