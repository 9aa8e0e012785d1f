import type { RequestContext } from '@deskgraph/subgraph-kit';
import type { RealtimeService } from './modules/realtime/realtime.service.js';
import type { ResolutionsService } from './modules/resolutions/resolutions.service.js';

/** The resolutions subgraph's per-request context: the base context plus its services. */
export interface SubgraphContext extends RequestContext {
  resolutions: ResolutionsService;
  realtime: RealtimeService;
}
