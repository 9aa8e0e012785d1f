import type { RequestContext } from '@deskgraph/subgraph-kit';
import type { CampaignsService } from './modules/campaigns/campaigns.service.js';
import type { RealtimeService } from './modules/realtime/realtime.service.js';

/** The campaigns subgraph's per-request context: the base context plus its services. */
export interface SubgraphContext extends RequestContext {
  campaigns: CampaignsService;
  realtime: RealtimeService;
}
