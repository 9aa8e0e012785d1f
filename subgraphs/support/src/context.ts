import type { RequestContext } from '@deskgraph/subgraph-kit';
import type { CustomersService } from './modules/customers/customers.service.js';

/** The support subgraph's per-request context: the base context plus its services. */
export interface SubgraphContext extends RequestContext {
  customers: CustomersService;
}
