import { createSubgraph, type Subgraph, type SubgraphDependencies } from '@deskgraph/subgraph-kit';
import type { IdentityConfig } from './config.js';
import type { SubgraphContext } from './context.js';
import { entities } from './entities.js';
import { migrations } from './migrations/index.js';
import { AgentStatusService } from './modules/agent-status/agent-status.service.js';
import { ApiKeysService } from './modules/api-keys/api-keys.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import { PreferencesService } from './modules/preferences/preferences.service.js';
import { TeamsService } from './modules/teams/teams.service.js';
import { TenantsService } from './modules/tenants/tenants.service.js';
import { UsersService } from './modules/users/users.service.js';
import { resolvers } from './resolvers.js';
import { lowerCaseEnums } from './stored-enums.js';

export type { IdentityConfig } from './config.js';

/** Tenants, users, teams, sessions, API keys and preferences. */
export function createIdentitySubgraph(dependencies: SubgraphDependencies, config: IdentityConfig): Promise<Subgraph<SubgraphContext>> {
  return createSubgraph<SubgraphContext>(
    {
      name: 'identity',
      entities,
      migrations,
      resolvers,
      lowerCaseEnums,
      extendContext: (base, { orm }) => ({
        ...base,
        tenants: new TenantsService(base, orm),
        users: new UsersService(base),
        teams: new TeamsService(base),
        auth: new AuthService(base, orm, config),
        apiKeys: new ApiKeysService(base, orm),
        preferences: new PreferencesService(base),
        agentStatus: new AgentStatusService(base),
      }),
    },
    dependencies,
  );
}
