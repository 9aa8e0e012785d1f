import type { RequestContext } from '@deskgraph/subgraph-kit';
import type { ArticlesService } from './modules/articles/articles.service.js';

/** The knowledge subgraph's per-request context: the base context plus its services. */
export interface SubgraphContext extends RequestContext {
  articles: ArticlesService;
}
