import { aiPlatformAdminRoutes } from './ai-platform/admin-users.routes.js';
import { autocrmTeamRoutes } from './autocrm/teams.routes.js';
import { dialerAuthRoutes } from './dialer/auth.routes.js';
import { omnichannelIdentityRoutes } from './omnichannel/identity.routes.js';
import type { RestRoute } from './route.js';
import { sociamaticIdentityRoutes } from './sociamatic/identity.routes.js';

/** Every documented REST path, by document. */
export const restRoutes: readonly RestRoute[] = [
  ...omnichannelIdentityRoutes,
  ...aiPlatformAdminRoutes,
  ...autocrmTeamRoutes,
  ...dialerAuthRoutes,
  ...sociamaticIdentityRoutes,
];
