import type { RequestContext } from '@deskgraph/subgraph-kit';
import type { AgentStatusService } from './modules/agent-status/agent-status.service.js';
import type { ApiKeysService } from './modules/api-keys/api-keys.service.js';
import type { AuthService } from './modules/auth/auth.service.js';
import type { PreferencesService } from './modules/preferences/preferences.service.js';
import type { TeamsService } from './modules/teams/teams.service.js';
import type { TenantsService } from './modules/tenants/tenants.service.js';
import type { UsersService } from './modules/users/users.service.js';

/** The identity subgraph's per-request context: the base context plus its services. */
export interface SubgraphContext extends RequestContext {
  tenants: TenantsService;
  users: UsersService;
  teams: TeamsService;
  auth: AuthService;
  apiKeys: ApiKeysService;
  preferences: PreferencesService;
  agentStatus: AgentStatusService;
}
