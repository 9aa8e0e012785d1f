import { createSubgraph, type Subgraph, type SubgraphDependencies } from '@deskgraph/subgraph-kit';
import type { SubgraphContext } from './context.js';
import { entities } from './entities.js';
import { migrations } from './migrations/index.js';
import { CampaignsService } from './modules/campaigns/campaigns.service.js';
import { RealtimeService } from './modules/realtime/realtime.service.js';
import { resolvers } from './resolvers.js';
import { lowerCaseEnums } from './stored-enums.js';

/** Outbound call campaigns: campaigns, leads, calls and call agents. */
export function createCampaignsSubgraph(dependencies: SubgraphDependencies): Promise<Subgraph<SubgraphContext>> {
  return createSubgraph<SubgraphContext>(
    {
      name: 'campaigns',
      entities,
      migrations,
      resolvers,
      lowerCaseEnums,
      extendContext: (base, { bus }) => ({
        ...base,
        campaigns: new CampaignsService(base),
        realtime: new RealtimeService(base, bus),
      }),
    },
    dependencies,
  );
}
