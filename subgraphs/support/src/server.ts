import { createSubgraph, type Subgraph, type SubgraphDependencies } from '@deskgraph/subgraph-kit';
import type { SubgraphContext } from './context.js';
import { entities } from './entities.js';
import { migrations } from './migrations/index.js';
import { CustomersService } from './modules/customers/customers.service.js';
import { resolvers } from './resolvers.js';
import { lowerCaseEnums } from './stored-enums.js';

/** Customers, conversations, messages, tickets, routing, SLAs, channels and automation. */
export function createSupportSubgraph(dependencies: SubgraphDependencies): Promise<Subgraph<SubgraphContext>> {
  return createSubgraph<SubgraphContext>(
    {
      name: 'support',
      entities,
      migrations,
      resolvers,
      lowerCaseEnums,
      extendContext: (base) => ({
        ...base,
        customers: new CustomersService(base),
      }),
    },
    dependencies,
  );
}
