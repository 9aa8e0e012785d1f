import { createSubgraph, type Subgraph, type SubgraphDependencies } from '@deskgraph/subgraph-kit';
import type { SubgraphContext } from './context.js';
import { entities } from './entities.js';
import { migrations } from './migrations/index.js';
import { RealtimeService } from './modules/realtime/realtime.service.js';
import { ResolutionsService } from './modules/resolutions/resolutions.service.js';
import { resolvers } from './resolvers.js';
import { lowerCaseEnums } from './stored-enums.js';

/** Resolutions (the fix behind conversations), their updates and swarms. */
export function createResolutionsSubgraph(dependencies: SubgraphDependencies): Promise<Subgraph<SubgraphContext>> {
  return createSubgraph<SubgraphContext>(
    {
      name: 'resolutions',
      entities,
      migrations,
      resolvers,
      lowerCaseEnums,
      extendContext: (base) => ({
        ...base,
        resolutions: new ResolutionsService(base),
        realtime: new RealtimeService(base),
      }),
    },
    dependencies,
  );
}
