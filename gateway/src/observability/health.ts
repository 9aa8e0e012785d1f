import type { EventBus } from '@deskgraph/events';
import type { HealthStatus, SubgraphHealthReport } from '@deskgraph/subgraph-kit';
import { VERSION } from '@deskgraph/subgraph-kit';
import type { SubgraphClient } from '../subgraphs/subgraph-client.js';

type DependencyStatus = 'healthy' | 'degraded' | 'unhealthy' | 'not_configured';

export interface HealthReport {
  status: 'healthy' | 'degraded' | 'unhealthy';
  version: string;
  dependencies: Record<string, DependencyStatus>;
  subgraphs: Record<string, { mode: SubgraphClient['mode']; status: DependencyStatus; uptimeSeconds: number | null }>;
}

const lower = (status: HealthStatus): DependencyStatus => status.toLowerCase() as DependencyStatus;

/**
 * `GET /health` in the 001 document's shape (`status`, `version`, `dependencies`):
 * the database (as each subgraph sees it), Redis, and every subgraph.
 */
export async function checkHealth(clients: SubgraphClient[], bus: EventBus, redisConfigured: boolean): Promise<HealthReport> {
  const reports = await Promise.all(
    clients.map(async (client) => ({ client, report: await client.health().catch((): SubgraphHealthReport | null => null) })),
  );
  const dependencies: Record<string, DependencyStatus> = {};
  const subgraphs: HealthReport['subgraphs'] = {};
  let database: DependencyStatus = 'healthy';
  for (const { client, report } of reports) {
    const status = report ? lower(report.status) : 'unhealthy';
    dependencies[client.name] = status;
    subgraphs[client.name] = { mode: client.mode, status, uptimeSeconds: report?.uptimeSeconds ?? null };
    if (!report || report.database !== 'HEALTHY') database = 'unhealthy';
  }
  dependencies.database = database;
  dependencies.redis = redisConfigured ? ((await bus.ping()) ? 'healthy' : 'unhealthy') : 'not_configured';
  const values = Object.values(dependencies);
  const status = values.includes('unhealthy') ? 'unhealthy' : values.includes('degraded') ? 'degraded' : 'healthy';
  return { status, version: VERSION, dependencies, subgraphs };
}
