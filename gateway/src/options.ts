import type { SubgraphName } from '@deskgraph/subgraph-kit';

export type RateLimitCategory = 'standard' | 'search' | 'ai' | 'webhook';

/** Everything the gateway process needs; built from the environment, or directly by tests. */
export interface GatewayOptions {
  production: boolean;
  host: string;
  /** 0 picks a free port. */
  port: number;
  logLevel: string;
  dataDir: string;
  /** A real PostgreSQL server; without it the embedded PGlite under `dataDir` is used. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  embeddedDatabasePort: number;
  /** Redis for the event bus and rate limits; without it, in-process implementations. */
  redisUrl: string | undefined;
  redisPrefix: string;
  jwtSecret: string;
  internalTokenSecret: string;
  refreshTokenTtlDays: number;
  bodyLimit: string;
  trustProxy: boolean;
  /** Whether @apollo/gateway may send its host metrics to Apollo (and probe cloud metadata services at start). */
  apolloTelemetry: boolean;
  /** Subgraphs reached over HTTP; every other subgraph runs in this process. */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  rateLimits: { windowSeconds: number } & Record<RateLimitCategory, number>;
  graphqlLimits: { maxDepth: number; maxAliases: number; maxCost: number; maxTokens: number };
  /** Instrumentation: called with every SQL statement of the in-process subgraphs (statement-count tests). */
  onQuery?: (subgraph: SubgraphName, sql: string) => void;
}
