import type { CallerAssertions } from '@deskgraph/auth';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@deskgraph/database';
import type { EventBus } from '@deskgraph/events';
import type { Logger } from '@deskgraph/runtime';
import { subgraphNames, type Subgraph, type SubgraphName } from '@deskgraph/subgraph-kit';
import type { GatewayOptions } from '../options.js';
import { subgraphFactories } from './registry.js';
import { inProcessClient, remoteClient, type SubgraphClient } from './subgraph-client.js';

export interface HostedSubgraphs {
  /** The subgraphs running in this process. */
  subgraphs: Subgraph[];
  /** How to reach every subgraph, in-process or remote. */
  clients: Record<SubgraphName, SubgraphClient>;
  /** Names of the in-process subgraphs. */
  local: SubgraphName[];
  stop(): Promise<void>;
}

/**
 * Starts every subgraph without a `SUBGRAPH_<NAME>_URL` in this process (on the embedded
 * PostgreSQL when no `DATABASE_URL` is set) and a client for each remote one.
 */
export async function hostSubgraphs(
  options: GatewayOptions,
  dependencies: { bus: EventBus; assertions: CallerAssertions; logger: Logger },
): Promise<HostedSubgraphs> {
  const { logger } = dependencies;
  const local = subgraphNames.filter((name) => !options.subgraphUrls[name]);
  let embedded: EmbeddedPostgres | null = null;
  let databaseUrl = options.databaseUrl;
  if (local.length > 0 && !databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: options.dataDir,
      port: options.embeddedDatabasePort,
      maxConnections: local.length * options.databasePoolSize + 10,
    });
    databaseUrl = embedded.url;
    logger.info({ dataDir: options.dataDir }, 'using the embedded PostgreSQL (set DATABASE_URL for a real server)');
  }

  const subgraphs: Subgraph[] = [];
  const clients = {} as Record<SubgraphName, SubgraphClient>;
  for (const name of subgraphNames) {
    const url = options.subgraphUrls[name];
    if (url) {
      clients[name] = remoteClient(name, url);
      continue;
    }
    const onQuery = options.onQuery;
    const subgraph = await subgraphFactories[name](
      {
        databaseUrl: databaseUrl!,
        bus: dependencies.bus,
        assertions: dependencies.assertions,
        logger,
        poolSize: options.databasePoolSize,
        onQuery: onQuery && ((sql) => onQuery(name, sql)),
      },
      options,
    );
    subgraphs.push(subgraph);
    clients[name] = inProcessClient(subgraph, name);
  }
  return {
    subgraphs,
    clients,
    local,
    async stop() {
      for (const subgraph of subgraphs) await subgraph.stop();
      for (const client of Object.values(clients)) await client.close();
      await embedded?.stop();
    },
  };
}
