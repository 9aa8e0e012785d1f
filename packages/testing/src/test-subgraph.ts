import { CallerAssertions, scopesForRole, type Caller, type Role } from '@deskgraph/auth';
import { InProcessEventBus, type DomainEvent } from '@deskgraph/events';
import { createLogger } from '@deskgraph/runtime';
import type { Subgraph, SubgraphDependencies } from '@deskgraph/subgraph-kit';
import type { FormattedExecutionResult } from 'graphql';
import { randomUUID } from 'node:crypto';
import { testEnvironment } from './environment.js';
import { createTestDatabase } from './test-database.js';

/** The first error of an operation that had to fail. */
export interface GraphQLFailure {
  message: string;
  code: unknown;
  details: { field: string; message: string }[] | undefined;
}

export interface TestSubgraph<S extends Subgraph> {
  subgraph: S;
  bus: InProcessEventBus;
  /** Every event the subgraph published, in order. */
  events: DomainEvent[];
  /** A caller of a (by default new) tenant, signed as the gateway would. */
  caller(overrides?: Partial<Caller> & { role?: Role }): Promise<{ caller: Caller; token: string }>;
  /** Runs an operation as the given caller token (null: anonymous); throws on transport errors only. */
  run(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<FormattedExecutionResult>;
  /** The data of an operation that must succeed; throws with the errors otherwise. */
  data<T = any>(query: string, variables: Record<string, unknown>, token: string | null): Promise<T>;
  /** The first error of an operation that must fail; throws when it succeeds. */
  failure(query: string, variables: Record<string, unknown>, token: string | null): Promise<GraphQLFailure>;
  /** Starts a subscription as the caller token; throws when the subgraph refuses to start it. */
  subscribe(
    query: string,
    variables: Record<string, unknown>,
    token: string | null,
  ): Promise<AsyncIterableIterator<FormattedExecutionResult>>;
  /** The error code of a subscription that must not start (refused at once, or as its first result). */
  refusal(query: string, variables: Record<string, unknown>, token: string | null): Promise<unknown>;
  /** Publishes outbox rows now and waits for every consumer. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One subgraph on a fresh database of the real PostgreSQL server, with the in-process
 * event bus, for service tests that talk GraphQL to the subgraph like the gateway does.
 */
export async function startTestSubgraph<S extends Subgraph>(
  create: (dependencies: SubgraphDependencies) => Promise<S>,
  options: { onQuery?: (sql: string) => void } = {},
): Promise<TestSubgraph<S>> {
  const database = await createTestDatabase();
  const logger = createLogger({ name: 'test', level: testEnvironment.logLevel });
  const bus = new InProcessEventBus(logger);
  const events: DomainEvent[] = [];
  bus.subscribe((event) => {
    events.push(event);
  });
  const assertions = new CallerAssertions(randomUUID());
  const subgraph = await create({ databaseUrl: database.url, bus, assertions, logger, poolSize: 3, onQuery: options.onQuery });
  const run = (query: string, variables: Record<string, unknown> | undefined, token: string | null) =>
    subgraph.execute({ query, variables: variables ?? null, callerToken: token, requestId: randomUUID() });
  return {
    subgraph,
    bus,
    events,
    async caller(overrides = {}) {
      const role = overrides.role ?? 'admin';
      const caller: Caller = {
        kind: 'user',
        tenantId: randomUUID(),
        userId: randomUUID(),
        apiKeyId: null,
        sessionId: randomUUID(),
        role,
        scopes: scopesForRole(role),
        ...overrides,
      };
      return { caller, token: await assertions.sign(caller) };
    },
    run(query, variables, token = null) {
      return run(query, variables, token);
    },
    async data(query, variables, token) {
      const result = await run(query, variables, token);
      if (result.errors) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
      return result.data as never;
    },
    async failure(query, variables, token) {
      const result = await run(query, variables, token);
      const [error] = result.errors ?? [];
      if (!error) throw new Error(`expected an error, got ${JSON.stringify(result.data)}`);
      return { message: error.message, code: error.extensions?.code, details: error.extensions?.details as GraphQLFailure['details'] };
    },
    async subscribe(query, variables, token) {
      const stream = await subgraph.subscribe({ query, variables, callerToken: token, requestId: randomUUID() });
      if (!(Symbol.asyncIterator in stream)) throw new Error(`subscription refused: ${JSON.stringify(stream)}`);
      return stream;
    },
    async refusal(query, variables, token) {
      const started = await subgraph.subscribe({ query, variables, callerToken: token, requestId: randomUUID() });
      const result = Symbol.asyncIterator in started ? await nextWithin(started) : started;
      return result?.errors?.[0]?.extensions?.code;
    },
    async settle() {
      await subgraph.flushEvents();
      await bus.drain();
    },
    async stop() {
      await subgraph.stop();
      await bus.close();
      await database.drop();
    },
  };
}

/** The next item of a stream, or null when none arrives within `ms`. */
export async function nextWithin<T>(stream: AsyncIterator<T>, ms = 2000): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  const next = stream.next().then((result) => (result.done ? null : result.value));
  try {
    return await Promise.race([next, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
