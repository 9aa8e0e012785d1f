import type { Caller } from '@deskgraph/auth';
import type { AppError } from '@deskgraph/errors';
import type { Logger } from '@deskgraph/runtime';

/** Per-request state of the gateway, shared by Apollo, the REST shim and the data sources. */
export interface GatewayContext {
  requestId: string;
  logger: Logger;
  /** Who is calling, verified at the edge; null when anonymous. */
  caller: Caller | null;
  /** Why the presented credentials were refused, if they were. */
  authError: AppError | null;
  /** Who the rate limits count against: the user, the API key or the client address. */
  rateLimitSubject: string;
  /** The caller signed for the subgraphs (memoised per request). */
  callerToken(): Promise<string | null>;
}
