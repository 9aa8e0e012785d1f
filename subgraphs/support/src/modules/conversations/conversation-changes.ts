import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '@deskgraph/auth';
import { recordEvent } from '@deskgraph/database';
import { ConflictError, NotFoundError } from '@deskgraph/errors';
import { isUuid } from '@deskgraph/validation';
import { CustomerEntity } from '../customers/customer.entity.js';
import type { Message } from '../messages/message.entity.js';
import { ConversationEntity, type Conversation, type ConversationState } from './conversation.entity.js';
import { ConversationEventEntity, type ConversationEvent, type ConversationEventType } from './conversation-event.entity.js';
import type { Actor } from './conversation-ownership.js';
import { assertTransition, stateName } from './conversation-states.js';

let lastTick = 0;

/**
 * The current time, strictly later than the previous call's: rows written in one change
 * (a conversation, its first message, its history) keep their order when sorted by time.
 */
export function tick(): Date {
  lastTick = Math.max(Date.now(), lastTick + 1);
  return new Date(lastTick);
}

/** Who a history entry names: a user, an API key, a portal customer, a web-chat visitor's customer record or deskgraph itself. */
export function actorOf(caller: Caller): Actor {
  if (caller.kind === 'system') return { kind: 'system', id: null };
  if (caller.kind === 'apiKey') return { kind: 'apiKey', id: caller.apiKeyId };
  if (caller.kind === 'visitor') return { kind: 'customer', id: caller.customerId ?? null };
  return { kind: caller.role === 'customer' ? 'customer' : 'user', id: caller.userId };
}

/**
 * The conversation, locked for the rest of the transaction (SELECT … FOR UPDATE): two
 * concurrent changes cannot both pass a state check. Deleted conversations are NOT_FOUND.
 */
export async function lockConversation(em: EntityManager, id: string): Promise<Conversation> {
  const conversation = isUuid(id)
    ? await em.findOne(ConversationEntity, { id, deletedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true })
    : null;
  if (!conversation) throw new NotFoundError('Conversation', id);
  return conversation;
}

/** Adds one entry to the conversation's history, in the caller's unit of work. */
export function recordHistory(
  em: EntityManager,
  conversation: Conversation,
  type: ConversationEventType,
  actor: Actor,
  data: Record<string, unknown> = {},
): ConversationEvent {
  return em.create(ConversationEventEntity, {
    id: randomUUID(),
    tenantId: conversation.tenantId,
    conversationId: conversation.id,
    type,
    actorKind: actor.kind,
    actorId: actor.id,
    data,
    createdAt: tick(),
  });
}

/**
 * Moves the conversation through the state machine (CONFLICT when the move is illegal),
 * keeps the timestamps that depend on the state, and records the move in the history
 * (`state_changed`, states spelled as in GraphQL) and as `conversation.state_changed`.
 */
export function changeState(
  em: EntityManager,
  conversation: Conversation,
  to: ConversationState,
  actor: Actor,
  details: Record<string, unknown> = {},
): void {
  const from = conversation.state;
  assertTransition(from, to);
  const at = tick();
  conversation.state = to;
  if (to === 'resolved') conversation.resolvedAt = at;
  if (to === 'closed') conversation.closedAt = at;
  if (from === 'resolved' && to === 'awaiting_agent') {
    conversation.reopenCount += 1;
    conversation.resolvedAt = null;
  }
  recordHistory(em, conversation, 'state_changed', actor, { from: stateName(from), to: stateName(to), ...details });
  recordEvent(em, {
    type: 'conversation.state_changed',
    tenantId: conversation.tenantId,
    aggregateId: conversation.id,
    payload: { conversationId: conversation.id, customerId: conversation.customerId, from, to, ...details },
  });
}

/** RESOLVED → AWAITING_AGENT, with a `reopened` entry saying why. */
export function reopenConversation(em: EntityManager, conversation: Conversation, actor: Actor, reason: string | null): void {
  if (conversation.state !== 'resolved') {
    throw new ConflictError(`Only a RESOLVED conversation can be reopened; this one is ${stateName(conversation.state)}`);
  }
  changeState(em, conversation, 'awaiting_agent', actor, { reason: reason ?? 'reopened' });
  recordHistory(em, conversation, 'reopened', actor, { reason, reopenCount: conversation.reopenCount });
}

/**
 * What a new message does to its conversation: counts it, and unless it is an internal
 * note, moves the channel, the last-message time, the customer's last contact, the first
 * response time and the state (an agent's reply waits for the customer; a customer's
 * message waits for an agent and reopens a resolved conversation). The opening message of
 * a conversation moves no state.
 */
export async function applyMessage(
  em: EntityManager,
  conversation: Conversation,
  message: Message,
  actor: Actor,
  options: { opening?: boolean; moveState?: boolean } = {},
): Promise<void> {
  conversation.messageCount += 1;
  if (message.isInternal) return;
  if (!conversation.channelsUsed.includes(message.channel)) conversation.channelsUsed = [...conversation.channelsUsed, message.channel];
  conversation.currentChannel = message.channel;
  conversation.lastMessageAt = message.createdAt;
  await em.nativeUpdate(CustomerEntity, { id: conversation.customerId }, { lastContactAt: message.createdAt });
  if (options.opening || options.moveState === false) return;
  if (message.senderType === 'agent' && message.direction === 'outbound') {
    conversation.firstResponseAt ??= message.createdAt;
    if (conversation.state === 'new' || conversation.state === 'awaiting_agent') {
      changeState(em, conversation, 'awaiting_customer', actor, { reason: 'agent_reply', messageId: message.id });
    }
  } else if (message.senderType === 'customer') {
    if (conversation.state === 'awaiting_customer') {
      changeState(em, conversation, 'awaiting_agent', actor, { reason: 'customer_reply', messageId: message.id });
    } else if (conversation.state === 'resolved') {
      reopenConversation(em, conversation, actor, 'customer_message');
    }
  }
}
