/**
 * Runs one subgraph as its own process for the gateway's remote mode:
 *   pnpm start:subgraph <name>   (listens on SUBGRAPH_PORT; point the gateway's SUBGRAPH_<NAME>_URL at it)
 * Give every process the same DATABASE_URL, REDIS_URL and INTERNAL_TOKEN_SECRET.
 */
import { join } from 'node:path';
import { CallerAssertions } from '@deskgraph/auth';
import { startEmbeddedPostgres } from '@deskgraph/database';
import { createEventBus } from '@deskgraph/events';
import { createLogger, handleShutdownSignals } from '@deskgraph/runtime';
import { serveSubgraph, subgraphNames, type SubgraphName } from '@deskgraph/subgraph-kit';
import { gatewayOptions, readEnvironment } from './environment.js';
import { subgraphFactories } from './subgraphs/registry.js';

const name = process.argv[2] as SubgraphName;
if (!subgraphNames.includes(name)) {
  console.error(`usage: pnpm start:subgraph <${subgraphNames.join('|')}>`);
  process.exit(2);
}
const environment = readEnvironment();
const options = gatewayOptions(environment);
const logger = createLogger({ name: `subgraph-${name}`, level: options.logLevel });
if (!options.redisUrl) logger.warn('REDIS_URL is not set: events will not reach subgraphs in other processes');
const embedded = options.databaseUrl
  ? null
  : await startEmbeddedPostgres({ dataDir: join(options.dataDir, name), port: 0, maxConnections: options.databasePoolSize + 5 });
if (embedded) logger.warn('DATABASE_URL is not set: this subgraph uses an embedded PostgreSQL of its own');
const bus = createEventBus({ redisUrl: options.redisUrl, prefix: options.redisPrefix, logger });
const subgraph = await subgraphFactories[name](
  {
    databaseUrl: options.databaseUrl ?? embedded!.url,
    bus,
    assertions: new CallerAssertions(options.internalTokenSecret),
    logger,
    poolSize: options.databasePoolSize,
  },
  options,
);
const served = await serveSubgraph(subgraph, { host: options.host, port: environment.SUBGRAPH_PORT, logger, bodyLimit: options.bodyLimit });
handleShutdownSignals(logger, async () => {
  await served.stop();
  await subgraph.stop();
  await bus.close();
  await embedded?.stop();
});
