import { createSubgraph, type Subgraph, type SubgraphDependencies } from '@deskgraph/subgraph-kit';
import type { SubgraphContext } from './context.js';
import { entities } from './entities.js';
import { migrations } from './migrations/index.js';
import { applyTenantActivityEvent } from './modules/tenant-activity/tenant-activity.consumer.js';
import { TenantActivityService } from './modules/tenant-activity/tenant-activity.service.js';
import { resolvers } from './resolvers.js';
import { lowerCaseEnums } from './stored-enums.js';

/** Read models fed by the other subgraphs' domain events; it has no mutations. */
export function createAnalyticsSubgraph(dependencies: SubgraphDependencies): Promise<Subgraph<SubgraphContext>> {
  return createSubgraph<SubgraphContext>(
    {
      name: 'analytics',
      entities,
      migrations,
      resolvers,
      lowerCaseEnums,
      extendContext: (base) => ({
        ...base,
        tenantActivity: new TenantActivityService(base),
      }),
      start: ({ bus, orm }) => {
        const unsubscribe = bus.consume('analytics', async (event) => {
          await applyTenantActivityEvent(orm, event);
        });
        return async () => {
          unsubscribe();
        };
      },
    },
    dependencies,
  );
}
