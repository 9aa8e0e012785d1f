import type { RequestContext } from '@deskgraph/subgraph-kit';
import type { TenantActivityService } from './modules/tenant-activity/tenant-activity.service.js';

/** The analytics subgraph's per-request context: the base context plus its read models. */
export interface SubgraphContext extends RequestContext {
  tenantActivity: TenantActivityService;
}
