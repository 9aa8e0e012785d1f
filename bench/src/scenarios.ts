import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { CALLER_HEADER, CallerAssertions, scopesForRole, verifyAccessToken, type Caller } from '@deskgraph/auth';
import { subgraphNames, type SubgraphName } from '@deskgraph/subgraph-kit';
import { createTestDatabase } from '@deskgraph/testing';
import type { Cleanup } from './cleanup.js';
import { inheritedEnvironment, type BenchSettings } from './environment.js';
import { freePorts, startServer, type ServerProcess } from './processes.js';
import type { BenchTenant } from './tenant.js';

const GATEWAY_SCRIPT = 'gateway/src/main.ts';
const SUBGRAPH_SCRIPT = 'gateway/src/subgraph-main.ts';

export const GATEWAY_QUERY =
  'query Bench { me { id email displayName teams { id name } } tenant { id name activity { userCount teamCount } } }';
export const IDENTITY_QUERY = 'query Bench { me { id email displayName teams { id name } } tenant { id name } }';

/** Where the load goes once the tenant exists. */
export interface ScenarioTarget {
  url: string;
  /** The credentials to send, asked for before each run of the load generator (they may expire). */
  headers(): Promise<Record<string, string>>;
  query: string;
  /** Whether the answer carries analytics' `Tenant.activity`. */
  withActivity: boolean;
}

/** The processes of one scenario, started; the tenant is set up through `gatewayUrl`. */
export interface Deployment {
  gatewayUrl: string;
  /** Returns where to send the load; may stop processes only the setup needed. */
  target(tenant: BenchTenant): Promise<ScenarioTarget>;
  /** The server processes under load, for CPU accounting. */
  servers(): ServerProcess[];
}

export interface Scenario {
  name: string;
  /** How the processes are laid out, for the report. */
  topology: string;
  deploy(context: DeployContext): Promise<Deployment>;
}

export interface DeployContext {
  /** The environment every server process shares (database, Redis, secrets). */
  environment: Record<string, string>;
  /** The fresh database of the run (DATABASE_URL of every server). */
  databaseUrl: string;
  jwtSecret: string;
  internalTokenSecret: string;
  cleanup: Cleanup;
}

export const scenarios: Scenario[] = [
  {
    name: 'gateway, in-process',
    topology: 'one process: the gateway with all six subgraphs in it',
    async deploy(context) {
      const gateway = await startGatewayProcess(context, {});
      return { gatewayUrl: gateway.url, target: gatewayTarget(gateway), servers: () => [gateway] };
    },
  },
  {
    name: 'gateway, remote',
    topology: 'seven processes: the gateway, and each of the six subgraphs served on its own over HTTP',
    async deploy(context) {
      const subgraphs = await startSubgraphProcesses(context, subgraphNames);
      const urls = Object.fromEntries([...subgraphs].map(([name, server]) => [name, `${server.url}/graphql`]));
      const gateway = await startGatewayProcess(context, urls);
      return { gatewayUrl: gateway.url, target: gatewayTarget(gateway), servers: () => [gateway, ...subgraphs.values()] };
    },
  },
  {
    name: 'identity subgraph alone',
    topology:
      'one process: the identity subgraph served on its own, called directly with a signed caller assertion ' +
      '(a gateway runs only while the tenant is set up)',
    async deploy(context) {
      const identity = (await startSubgraphProcesses(context, ['identity'])).get('identity')!;
      const gateway = await startGatewayProcess(context, { identity: `${identity.url}/graphql` });
      return {
        gatewayUrl: gateway.url,
        async target(tenant) {
          await gateway.stop();
          const claims = await verifyAccessToken(context.jwtSecret, tenant.accessToken);
          // The very caller the gateway's authenticator derives from this access token.
          const caller: Caller = {
            kind: 'user',
            tenantId: claims.tenantId,
            userId: claims.userId,
            apiKeyId: null,
            sessionId: claims.sessionId,
            role: claims.role,
            scopes: scopesForRole(claims.role),
          };
          return {
            url: `${identity.url}/graphql`,
            // A new signer each time gives a token valid for its full lifetime (5 minutes) from now.
            headers: async () => ({ [CALLER_HEADER]: await new CallerAssertions(context.internalTokenSecret).sign(caller) }),
            query: IDENTITY_QUERY,
            withActivity: false,
          };
        },
        servers: () => [identity],
      };
    },
  },
];

/** Prepares a fresh database, Redis prefix, secrets and data directory, then deploys the scenario. */
export async function deployScenario(scenario: Scenario, settings: BenchSettings, cleanup: Cleanup): Promise<Deployment> {
  return scenario.deploy(await prepareDeployment(settings, cleanup));
}

/** A fresh database, Redis prefix, secrets and data directory for the servers of one run, all removed on cleanup. */
export async function prepareDeployment(settings: BenchSettings, cleanup: Cleanup): Promise<DeployContext> {
  const database = await createTestDatabase('dg_bench');
  cleanup.defer(`drop database ${database.name}`, () => database.drop());
  const redisPrefix = `deskgraph-bench-${randomUUID()}`;
  cleanup.defer(`delete Redis keys ${redisPrefix}:*`, () => deleteRedisKeys(settings.redisUrl, redisPrefix));
  const dataDir = mkdtempSync(join(tmpdir(), 'deskgraph-bench-'));
  cleanup.defer(`remove ${dataDir}`, () => rmSync(dataDir, { recursive: true, force: true }));
  const jwtSecret = randomUUID() + randomUUID();
  const internalTokenSecret = randomUUID() + randomUUID();
  const environment = {
    ...inheritedEnvironment(),
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    REDIS_URL: settings.redisUrl,
    REDIS_PREFIX: redisPrefix,
    JWT_SECRET: jwtSecret,
    INTERNAL_TOKEN_SECRET: internalTokenSecret,
    // The limiter still counts every request in Redis; it must just never refuse one.
    RATE_LIMIT_STANDARD: '100000000',
    RATE_LIMIT_SEARCH: '100000000',
  };
  return { environment, jwtSecret, internalTokenSecret, cleanup, databaseUrl: database.url };
}

async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** A gateway process (all subgraphs in-process but those given a URL), stopped on cleanup; `extra` adds to its environment. */
export async function startGatewayProcess(
  context: DeployContext,
  subgraphUrls: Partial<Record<SubgraphName, string>>,
  extra: Record<string, string> = {},
): Promise<ServerProcess> {
  const port = (await freePorts(1))[0]!;
  const urls = Object.fromEntries(Object.entries(subgraphUrls).map(([name, url]) => [`SUBGRAPH_${name.toUpperCase()}_URL`, url]));
  const gateway = await startServer({
    name: 'gateway',
    script: GATEWAY_SCRIPT,
    environment: { ...context.environment, ...urls, ...extra, PORT: String(port) },
    url: `http://127.0.0.1:${port}`,
    readyPath: '/health/live',
  });
  context.cleanup.defer('stop the gateway', () => gateway.stop());
  return gateway;
}

/** Starts standalone subgraphs side by side; each one that started is stopped on cleanup, even if another failed. */
async function startSubgraphProcesses(context: DeployContext, names: readonly SubgraphName[]): Promise<Map<SubgraphName, ServerProcess>> {
  const ports = await freePorts(names.length);
  const outcomes = await Promise.allSettled(
    names.map(async (name, index) => {
      const port = ports[index]!;
      const server = await startServer({
        name,
        script: SUBGRAPH_SCRIPT,
        args: [name],
        environment: { ...context.environment, SUBGRAPH_PORT: String(port) },
        url: `http://127.0.0.1:${port}`,
        readyPath: '/health',
      });
      context.cleanup.defer(`stop the ${name} subgraph`, () => server.stop());
      return server;
    }),
  );
  const servers = new Map<SubgraphName, ServerProcess>();
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.status === 'rejected') throw outcome.reason;
    servers.set(names[index]!, outcome.value);
  }
  return servers;
}

function gatewayTarget(gateway: ServerProcess): Deployment['target'] {
  return async (tenant) => ({
    url: `${gateway.url}/graphql`,
    // Access tokens live an hour: longer than any run.
    headers: async () => ({ authorization: `Bearer ${tenant.accessToken}` }),
    query: GATEWAY_QUERY,
    withActivity: true,
  });
}
