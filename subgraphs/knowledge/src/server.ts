import { createSubgraph, type Subgraph, type SubgraphDependencies } from '@deskgraph/subgraph-kit';
import type { SubgraphContext } from './context.js';
import { entities } from './entities.js';
import { migrations } from './migrations/index.js';
import { ArticlesService } from './modules/articles/articles.service.js';
import { resolvers } from './resolvers.js';
import { lowerCaseEnums } from './stored-enums.js';

/** The knowledge base, memory engine and AI services. */
export function createKnowledgeSubgraph(dependencies: SubgraphDependencies): Promise<Subgraph<SubgraphContext>> {
  return createSubgraph<SubgraphContext>(
    {
      name: 'knowledge',
      entities,
      migrations,
      resolvers,
      lowerCaseEnums,
      extendContext: (base) => ({
        ...base,
        articles: new ArticlesService(base),
      }),
    },
    dependencies,
  );
}
