import { aiPlatformAdminRoutes } from './ai-platform/admin-users.routes.js';
import { autocrmTeamRoutes } from './autocrm/teams.routes.js';
import { dialerAuthRoutes } from './dialer/auth.routes.js';
import { omnichannelIdentityRoutes } from './omnichannel/identity.routes.js';
import { omnichannelSupportRoutes } from './omnichannel/support.routes.js';
import type { RestRoute } from './route.js';
import { sociamaticCustomerRoutes } from './sociamatic/customers.routes.js';
import { sociamaticIdentityRoutes } from './sociamatic/identity.routes.js';
import { ticketRoutes } from './tickets/tickets.routes.js';

/** Every documented REST path, by document. */
export const restRoutes: readonly RestRoute[] = [
  ...omnichannelIdentityRoutes,
  ...omnichannelSupportRoutes,
  ...aiPlatformAdminRoutes,
  ...autocrmTeamRoutes,
  ...dialerAuthRoutes,
  ...sociamaticIdentityRoutes,
  ...sociamaticCustomerRoutes,
  ...ticketRoutes,
];
