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
import { MessageEntity } from '../messages/message.entity.js';
import type { AssignmentEvent, MessageAddedEvent, StateChangeEvent, TypingEvent } from './realtime.types.js';

const WATCH = { roles: ['admin', 'agent'], scope: 'read' } as const;

const optionalId = (value: string | null | undefined): string | null => (value && isUuid(value) ? value : null);
const matches = (wanted: string | null, actual: unknown): boolean => wanted === null || wanted === actual;

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
  ) {}

  messageAdded(conversationId: string | null | undefined): AsyncIterableIterator<MessageAddedEvent> {
    authorize(this.ctx.caller, WATCH);
    const wanted = optionalId(conversationId);
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
    const wanted = optionalId(conversationId);
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
    const wanted = optionalId(conversationId);
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

  /** Publishes a typing indicator straight on the bus: ephemeral, never stored. */
  async setTyping(conversationId: string, isTyping: boolean): Promise<boolean> {
    const caller = authorize(this.ctx.caller, { roles: ['admin', 'agent', 'customer'], scope: 'write' });
    parseInput(z.object({ conversationId: uuid }), { conversationId });
    await this.requireConversation(conversationId);
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

  private async requireConversation(id: string): Promise<void> {
    if (!(await this.ctx.byId(ConversationEntity, id, { deletedAt: null }))) throw new NotFoundError('Conversation', id);
  }
}
