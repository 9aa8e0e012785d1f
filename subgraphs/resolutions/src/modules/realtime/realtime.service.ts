import { authorize } from '@deskgraph/auth';
import type { DomainEvent } from '@deskgraph/events';
import { mapStream, type RequestContext } from '@deskgraph/subgraph-kit';
import type { ResolutionUpdateEvent } from './realtime.types.js';

const WATCH = { roles: ['admin', 'agent'], scope: 'read' } as const;

/** `created` for a new resolution; a change names its update type (000: `status_change`, `note`, ...) or is `updated`. */
function updateType(event: DomainEvent): string {
  if (event.type === 'resolution.created') return 'created';
  const named = typeof event.payload.updateType === 'string' ? event.payload.updateType.trim().toLowerCase() : '';
  return named || 'updated';
}

/**
 * The resolutions subgraph's live events (000 `resolution:update`), read from the domain
 * events on the bus; the tenant filter is the request context's.
 */
export class RealtimeService {
  constructor(private readonly ctx: RequestContext) {}

  /** Resolutions opened (`resolution.created`) or changed (`resolution.updated`), of one resolution or all. */
  resolutionUpdated(resolutionId: string | null | undefined): AsyncIterableIterator<ResolutionUpdateEvent> {
    authorize(this.ctx.caller, WATCH);
    const wanted = resolutionId ?? null;
    const events = this.ctx.events(
      ['resolution.created', 'resolution.updated'],
      (event) => typeof event.payload.resolutionId === 'string' && (wanted === null || event.payload.resolutionId === wanted),
    );
    return mapStream(events, (event) => ({
      resolutionId: event.payload.resolutionId as string,
      updateType: updateType(event),
      changedAt: new Date(event.occurredAt),
    }));
  }
}
