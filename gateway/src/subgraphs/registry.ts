import { join } from 'node:path';
import { createAnalyticsSubgraph } from '@deskgraph/analytics';
import { createCampaignsSubgraph } from '@deskgraph/campaigns';
import { createIdentitySubgraph } from '@deskgraph/identity';
import { createKnowledgeSubgraph } from '@deskgraph/knowledge';
import { createResolutionsSubgraph } from '@deskgraph/resolutions';
import { createSupportSubgraph } from '@deskgraph/support';
import type { Subgraph, SubgraphDependencies, SubgraphName } from '@deskgraph/subgraph-kit';
import type { GatewayOptions } from '../options.js';

type SubgraphFactory = (dependencies: SubgraphDependencies, options: GatewayOptions) => Promise<Subgraph>;

/** How to start each subgraph in this process. */
export const subgraphFactories: Record<SubgraphName, SubgraphFactory> = {
  identity: (dependencies, options) =>
    createIdentitySubgraph(dependencies, { jwtSecret: options.jwtSecret, refreshTokenTtlDays: options.refreshTokenTtlDays }),
  support: (dependencies, options) => createSupportSubgraph(dependencies, { attachmentsDirectory: join(options.dataDir, 'attachments') }),
  resolutions: (dependencies) => createResolutionsSubgraph(dependencies),
  campaigns: (dependencies) => createCampaignsSubgraph(dependencies),
  knowledge: (dependencies) => createKnowledgeSubgraph(dependencies),
  analytics: (dependencies) => createAnalyticsSubgraph(dependencies),
};
