import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { authorize } from '@deskgraph/auth';
import { ForbiddenError, parseInput } from '@deskgraph/errors';
import type { DomainEvent, EventBus } from '@deskgraph/events';
import { mapStream, type RequestContext } from '@deskgraph/subgraph-kit';
import {
  callAgentStatuses,
  callDispositions,
  type CallAgentPresenceView,
  type CallAgentStatus,
  type CallDisposition,
  type CallEndEvent,
  type IncomingCallEvent,
} from './realtime.types.js';

const WATCH = { roles: ['admin', 'agent'], scope: 'read' } as const;

const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
const matches = (wanted: string | null | undefined, actual: unknown): boolean =>
  wanted === null || wanted === undefined || wanted === actual;

/** The parsers below answer null for a malformed event: it is skipped, never fatal to the stream. */
function incomingCall(event: DomainEvent): IncomingCallEvent | null {
  const [callId, campaignId, leadId, fromNumber, toNumber] = ['callId', 'campaignId', 'leadId', 'fromNumber', 'toNumber'].map((key) =>
    text(event.payload[key]),
  );
  if (!callId || !campaignId || !leadId || !fromNumber || !toNumber) return null;
  const agentId = text(event.payload.agentId);
  return { callId, campaignId, leadId, agentId, fromNumber, toNumber, receivedAt: new Date(event.occurredAt) };
}

function callEnd(event: DomainEvent): CallEndEvent | null {
  const { callId, campaignId, disposition, duration } = event.payload;
  const seconds = typeof duration === 'number' ? duration : Number.NaN;
  const id = text(callId);
  const campaign = text(campaignId);
  if (!id || !campaign || !callDispositions.includes(disposition as CallDisposition) || !Number.isFinite(seconds) || seconds < 0)
    return null;
  return {
    callId: id,
    campaignId: campaign,
    disposition: disposition as CallDisposition,
    duration: Math.round(seconds),
    endedAt: new Date(event.occurredAt),
  };
}

function presence(event: DomainEvent): CallAgentPresenceView | null {
  const agentId = text(event.payload.agentId);
  const status = event.payload.status as CallAgentStatus;
  if (!agentId || !callAgentStatuses.includes(status)) return null;
  return { agentId, status, changedAt: new Date(event.occurredAt) };
}

/**
 * The campaigns subgraph's live events (003's socket events as GraphQL subscriptions), read
 * from the domain events on the bus; the tenant filter is the request context's. Calls are
 * announced by their producer (`call.incoming`, `call.ended`). Call agent presence is
 * ephemeral until the campaign agents land: published on the bus directly, never stored, and
 * a call agent is the signed-in user.
 */
export class RealtimeService {
  constructor(
    private readonly ctx: RequestContext,
    private readonly bus: EventBus,
  ) {}

  /** Calls routed to `agentId` (default: the caller) and calls not routed to anyone yet, of one campaign or all. */
  incomingCalls(campaignId: string | null | undefined, agentId: string | null | undefined): AsyncIterableIterator<IncomingCallEvent> {
    const caller = authorize(this.ctx.caller, WATCH);
    const agent = agentId ?? caller.userId;
    const events = this.ctx.events(['call.incoming'], (event) => {
      const call = this.wellFormed(event, incomingCall);
      return call !== null && matches(campaignId, call.campaignId) && (call.agentId === null || call.agentId === agent);
    });
    return mapStream(events, (event) => incomingCall(event) as IncomingCallEvent);
  }

  /** Calls that ended, of one campaign or all. */
  callsEnded(campaignId: string | null | undefined): AsyncIterableIterator<CallEndEvent> {
    authorize(this.ctx.caller, WATCH);
    const events = this.ctx.events(['call.ended'], (event) => {
      const call = this.wellFormed(event, callEnd);
      return call !== null && matches(campaignId, call.campaignId);
    });
    return mapStream(events, (event) => callEnd(event) as CallEndEvent);
  }

  /** Call agents that joined (`call_agent.joined`) or changed status (`call_agent.status_updated`), of one agent or all. */
  agentStatusUpdates(agentId: string | null | undefined): AsyncIterableIterator<CallAgentPresenceView> {
    authorize(this.ctx.caller, WATCH);
    const events = this.ctx.events(['call_agent.status_updated', 'call_agent.joined'], (event) => {
      const update = this.wellFormed(event, presence);
      return update !== null && matches(agentId, update.agentId);
    });
    return mapStream(events, (event) => presence(event) as CallAgentPresenceView);
  }

  /** The caller joins the call center as an available call agent (003 `agent:join`). */
  join(): Promise<CallAgentPresenceView> {
    return this.announce('call_agent.joined', 'available');
  }

  /** The caller's call agent status (003 `agent:status`). */
  setStatus(status: unknown): Promise<CallAgentPresenceView> {
    return this.announce('call_agent.status_updated', parseInput(z.object({ status: z.enum(callAgentStatuses) }), { status }).status);
  }

  /** The event parsed, or null (and a warning: its producer has a bug) when it is malformed. */
  private wellFormed<T>(event: DomainEvent, parse: (event: DomainEvent) => T | null): T | null {
    const parsed = parse(event);
    if (parsed === null) this.ctx.logger.warn({ eventId: event.id, type: event.type }, 'skipped a malformed live event');
    return parsed;
  }

  /** Publishes the caller's presence straight on the bus: ephemeral, never stored (no campaign agents yet). */
  private async announce(type: 'call_agent.joined' | 'call_agent.status_updated', status: CallAgentStatus): Promise<CallAgentPresenceView> {
    const caller = authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'write' });
    const agentId = caller.userId;
    if (!agentId) throw new ForbiddenError('An API key has no user and so cannot be a call agent');
    const changedAt = new Date();
    await this.bus.publish({
      id: randomUUID(),
      type,
      tenantId: caller.tenantId,
      aggregateId: agentId,
      source: 'campaigns',
      occurredAt: changedAt.toISOString(),
      payload: { agentId, status },
    });
    return { agentId, status, changedAt };
  }
}
