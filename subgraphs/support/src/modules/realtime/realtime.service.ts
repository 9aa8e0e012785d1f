import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import { z } from 'zod';
import { authorize } from '@deskgraph/auth';
import { recordEvent } from '@deskgraph/database';
import { NotFoundError, parseInput } from '@deskgraph/errors';
import type { DomainEvent, EventBus } from '@deskgraph/events';
import { mapStream, type RequestContext } from '@deskgraph/subgraph-kit';
import { isUuid, uuid } from '@deskgraph/validation';
import { ConversationEntity, type Conversation } from '../conversations/conversation.entity.js';
import type { PortalCustomers } from '../customers/portal-customer.js';
import { MessageEntity } from '../messages/message.entity.js';
import type { AssignmentEvent, MessageAddedEvent, SlaAlertEvent, SlaAlertKind, StateChangeEvent, TypingEvent } from './realtime.types.js';

const WATCH = { roles: ['admin', 'agent'], scope: 'read' } as const;

/** An id filter: none when omitted; a value that is no UUID matches nothing (it cannot name a row). */
const idFilter = (value: string | null | undefined): string | null | false => (value ? (isUuid(value) ? value : false) : null);
const matches = (wanted: string | null | false, actual: unknown): boolean => wanted !== false && (wanted === null || wanted === actual);

/** The SLA clocks of the `sla.*` events' `kind`, as stored (lower-case). */
const slaKinds: Record<string, SlaAlertKind> = { first_response: 'FIRST_RESPONSE', resolution: 'RESOLUTION' };

/** An `sla.warning` / `sla.breached` event as an alert; null for a malformed one (skipped, not fatal to the stream). */
function slaAlert(event: DomainEvent): SlaAlertEvent | null {
  const { conversationId, dueAt, kind } = event.payload;
  const due = typeof dueAt === 'string' ? new Date(dueAt) : null;
  const slaKind = typeof kind === 'string' ? slaKinds[kind] : undefined;
  if (typeof conversationId !== 'string' || !isUuid(conversationId) || !due || Number.isNaN(due.getTime()) || !slaKind) return null;
  // Counted from when the alert was raised, so every subscriber reads the same number.
  const minutesRemaining = Math.trunc((due.getTime() - new Date(event.occurredAt).getTime()) / 60_000) || 0;
  return { conversationId, dueAt: due, minutesRemaining, kind: slaKind };
}

/**
 * The support subgraph's live events (000's socket events as GraphQL subscriptions), read
 * from the domain events every instance receives over the bus. The tenant filter is the
 * request context's; each stream is also filtered by its arguments. Typing is ephemeral:
 * published on the bus directly, never stored.
 */
export class RealtimeService {
  constructor(
    private readonly ctx: RequestContext,
    private readonly bus: EventBus,
    private readonly portalCustomers: PortalCustomers,
  ) {}

  messageAdded(conversationId: string | null | undefined): AsyncIterableIterator<MessageAddedEvent> {
    authorize(this.ctx.caller, WATCH);
    const wanted = idFilter(conversationId);
    const events = this.ctx.events(
      ['message.created'],
      (event) => matches(wanted, event.payload.conversationId) && event.payload.isInternal !== true,
    );
    return mapStream(events, (event) => ({
      conversationId: String(event.payload.conversationId),
      messageId: String(event.payload.messageId),
    }));
  }

  stateChanged(conversationId: string | null | undefined): AsyncIterableIterator<StateChangeEvent> {
    authorize(this.ctx.caller, WATCH);
    const wanted = idFilter(conversationId);
    const events = this.ctx.events(['conversation.state_changed'], (event) => matches(wanted, event.payload.conversationId));
    return mapStream(events, (event) => ({
      conversationId: String(event.payload.conversationId),
      from: event.payload.from as StateChangeEvent['from'],
      to: event.payload.to as StateChangeEvent['to'],
      changedAt: new Date(event.occurredAt),
    }));
  }

  assigned(conversationId: string | null | undefined): AsyncIterableIterator<AssignmentEvent> {
    authorize(this.ctx.caller, WATCH);
    const wanted = idFilter(conversationId);
    const events = this.ctx.events(['conversation.assigned'], (event) => matches(wanted, event.payload.conversationId));
    return mapStream(events, (event) => ({
      conversationId: String(event.payload.conversationId),
      agentId: (event.payload.agentId as string | null) ?? null,
      teamId: (event.payload.teamId as string | null) ?? null,
      previousAgentId: (event.payload.previousAgentId as string | null) ?? null,
      previousTeamId: (event.payload.previousTeamId as string | null) ?? null,
      transfer: event.payload.transfer === true,
      reason: (event.payload.reason as string | null) ?? null,
    }));
  }

  /** Conversations opened, and conversations assigned to the caller or to one of `teamIds`. */
  conversationNew(teamIds: readonly string[] | null | undefined): AsyncIterableIterator<{ conversationId: string }> {
    const caller = authorize(this.ctx.caller, WATCH);
    const teams = new Set((teamIds ?? []).filter(isUuid));
    const events = this.ctx.events(['conversation.created', 'conversation.assigned'], (event) => {
      if (event.type === 'conversation.created') return true;
      const agentId = event.payload.agentId as string | null;
      const teamId = event.payload.teamId as string | null;
      const newToMe = agentId !== null && agentId === caller.userId && agentId !== event.payload.previousAgentId;
      const newToTeam = teamId !== null && teams.has(teamId) && teamId !== event.payload.previousTeamId;
      return newToMe || newToTeam;
    });
    return mapStream(events, (event) => ({ conversationId: String(event.payload.conversationId) }));
  }

  typing(conversationId: string): AsyncIterableIterator<TypingEvent> {
    authorize(this.ctx.caller, WATCH);
    const events = this.ctx.events(['conversation.typing'], (event) => event.payload.conversationId === conversationId);
    return mapStream(events, (event) => ({
      conversationId,
      userId: (event.payload.userId as string | null) ?? null,
      isTyping: event.payload.isTyping === true,
      at: new Date(event.occurredAt),
    }));
  }

  /** SLA alerts of the tenant's conversations: `sla.warning` (about to run out) or `sla.breached`. */
  slaAlerts(type: 'sla.warning' | 'sla.breached'): AsyncIterableIterator<SlaAlertEvent> {
    authorize(this.ctx.caller, WATCH);
    const events = this.ctx.events([type], (event) => {
      const wellFormed = slaAlert(event) !== null;
      if (!wellFormed) this.ctx.logger.warn({ eventId: event.id, type: event.type }, 'skipped a malformed live event');
      return wellFormed;
    });
    return mapStream(events, (event) => slaAlert(event) as SlaAlertEvent);
  }

  /** Publishes a typing indicator straight on the bus: ephemeral, never stored. */
  async setTyping(conversationId: string, isTyping: boolean): Promise<boolean> {
    const caller = authorize(this.ctx.caller, { roles: ['admin', 'agent', 'customer'], scope: 'write' });
    parseInput(z.object({ conversationId: uuid }), { conversationId });
    const [customerId, ownCustomerId] = await Promise.all([
      this.requireConversation(conversationId),
      this.portalCustomers.actingCustomerId(caller),
    ]);
    // A customer (visitor or portal user) types only in their own conversations; any other is as good as absent.
    if (ownCustomerId !== undefined && (!ownCustomerId || ownCustomerId !== customerId)) {
      throw new NotFoundError('Conversation', conversationId);
    }
    const event: DomainEvent = {
      id: randomUUID(),
      type: 'conversation.typing',
      tenantId: caller.tenantId,
      aggregateId: conversationId,
      source: 'support',
      occurredAt: new Date().toISOString(),
      payload: { conversationId, userId: caller.role === 'customer' ? null : caller.userId, isTyping },
    };
    await this.bus.publish(event);
    return true;
  }

  /** Marks the customer's delivered messages READ and announces it (`conversation.read`). */
  async markRead(conversationId: string): Promise<Conversation> {
    const caller = authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'write' });
    return this.ctx.em().transactional(async (em) => {
      const conversation = isUuid(conversationId)
        ? await em.findOne(ConversationEntity, { id: conversationId, deletedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE })
        : null;
      if (!conversation) throw new NotFoundError('Conversation', conversationId);
      const read = await em.nativeUpdate(
        MessageEntity,
        { conversationId, direction: 'inbound', status: { $in: ['sent', 'delivered'] }, deletedAt: null },
        { status: 'read' },
      );
      recordEvent(em, {
        type: 'conversation.read',
        tenantId: conversation.tenantId,
        aggregateId: conversation.id,
        payload: { conversationId: conversation.id, readBy: caller.userId, messages: read },
      });
      return conversation;
    });
  }

  /** The conversation's customer; NOT_FOUND when the conversation is not the tenant's or deleted. */
  private async requireConversation(id: string): Promise<string> {
    const conversation = await this.ctx.byId(ConversationEntity, id, { deletedAt: null });
    if (!conversation) throw new NotFoundError('Conversation', id);
    return conversation.customerId;
  }
}
