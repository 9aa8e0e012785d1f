import { z } from 'zod';
import { booleanFromString, localSecret, parseEnvironment } from '@deskgraph/runtime';
import { subgraphNames, type SubgraphName } from '@deskgraph/subgraph-kit';
import type { GatewayOptions } from './options.js';

const optionalUrl = z.url().optional();
const count = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATA_DIR: z.string().default('./.data'),
    DATABASE_URL: optionalUrl,
    DATABASE_POOL_SIZE: count(5),
    EMBEDDED_DATABASE_PORT: z.coerce.number().int().min(0).max(65535).default(0),
    REDIS_URL: optionalUrl,
    REDIS_PREFIX: z.string().min(1).default('deskgraph'),
    JWT_SECRET: z.string().min(32).optional(),
    INTERNAL_TOKEN_SECRET: z.string().min(32).optional(),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    BODY_LIMIT: z.string().default('15mb'),
    TRUST_PROXY: booleanFromString.default(false),
    APOLLO_TELEMETRY_DISABLED: booleanFromString.default(true),
    RATE_LIMIT_WINDOW_SECONDS: count(60),
    RATE_LIMIT_STANDARD: count(100),
    RATE_LIMIT_SEARCH: count(30),
    RATE_LIMIT_AI: count(20),
    RATE_LIMIT_WEBHOOK: count(1000),
    GRAPHQL_MAX_DEPTH: count(12),
    GRAPHQL_MAX_ALIASES: count(30),
    GRAPHQL_MAX_COST: count(5000),
    GRAPHQL_MAX_TOKENS: count(5000),
    SUBGRAPH_IDENTITY_URL: optionalUrl,
    SUBGRAPH_SUPPORT_URL: optionalUrl,
    SUBGRAPH_RESOLUTIONS_URL: optionalUrl,
    SUBGRAPH_CAMPAIGNS_URL: optionalUrl,
    SUBGRAPH_KNOWLEDGE_URL: optionalUrl,
    SUBGRAPH_ANALYTICS_URL: optionalUrl,
    /** For `pnpm start:subgraph <name>`: the port a standalone subgraph listens on. */
    SUBGRAPH_PORT: z.coerce.number().int().min(0).max(65535).default(4001),
  })
  .superRefine((environment, context) => {
    if (environment.NODE_ENV !== 'production') return;
    for (const key of ['JWT_SECRET', 'INTERNAL_TOKEN_SECRET', 'DATABASE_URL'] as const) {
      if (!environment[key]) context.addIssue({ code: 'custom', path: [key], message: 'is required when NODE_ENV=production' });
    }
  });

export type GatewayEnvironment = z.output<typeof schema>;

export function readEnvironment(source: Record<string, string | undefined> = process.env): GatewayEnvironment {
  return parseEnvironment(schema, source);
}

/** Turns the environment into the gateway's options; unset secrets come from the data directory. */
export function gatewayOptions(environment: GatewayEnvironment): GatewayOptions {
  const subgraphUrls: Partial<Record<SubgraphName, string>> = {};
  for (const name of subgraphNames) {
    const url = environment[`SUBGRAPH_${name.toUpperCase()}_URL` as keyof GatewayEnvironment];
    if (typeof url === 'string') subgraphUrls[name] = url;
  }
  return {
    production: environment.NODE_ENV === 'production',
    host: environment.HOST,
    port: environment.PORT,
    logLevel: environment.LOG_LEVEL,
    dataDir: environment.DATA_DIR,
    databaseUrl: environment.DATABASE_URL,
    databasePoolSize: environment.DATABASE_POOL_SIZE,
    embeddedDatabasePort: environment.EMBEDDED_DATABASE_PORT,
    redisUrl: environment.REDIS_URL,
    redisPrefix: environment.REDIS_PREFIX,
    jwtSecret: environment.JWT_SECRET ?? localSecret(environment.DATA_DIR, 'jwtSecret'),
    internalTokenSecret: environment.INTERNAL_TOKEN_SECRET ?? localSecret(environment.DATA_DIR, 'internalTokenSecret'),
    refreshTokenTtlDays: environment.REFRESH_TOKEN_TTL_DAYS,
    bodyLimit: environment.BODY_LIMIT,
    trustProxy: environment.TRUST_PROXY,
    apolloTelemetry: !environment.APOLLO_TELEMETRY_DISABLED,
    subgraphUrls,
    rateLimits: {
      windowSeconds: environment.RATE_LIMIT_WINDOW_SECONDS,
      standard: environment.RATE_LIMIT_STANDARD,
      search: environment.RATE_LIMIT_SEARCH,
      ai: environment.RATE_LIMIT_AI,
      webhook: environment.RATE_LIMIT_WEBHOOK,
    },
    graphqlLimits: {
      maxDepth: environment.GRAPHQL_MAX_DEPTH,
      maxAliases: environment.GRAPHQL_MAX_ALIASES,
      maxCost: environment.GRAPHQL_MAX_COST,
      maxTokens: environment.GRAPHQL_MAX_TOKENS,
    },
  };
}
