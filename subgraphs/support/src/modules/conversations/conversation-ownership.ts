import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConversationEntity } from './conversation.entity.js';
import { ConversationEventEntity } from './conversation-event.entity.js';
import { MessageEntity } from '../messages/message.entity.js';

export interface Actor {
  kind: 'user' | 'apiKey' | 'system' | 'customer';
  id: string | null;
}

/**
 * Moves every conversation and message of one customer to another (a merge), inside the
 * caller's transaction, and records the move in each conversation's history.
 */
export async function moveCustomerConversations(
  em: EntityManager,
  tenantId: string,
  fromCustomerId: string,
  toCustomerId: string,
  actor: Actor,
): Promise<{ conversations: number; messages: number }> {
  const moved = await em.find(ConversationEntity, { customerId: fromCustomerId }, { fields: ['id'] });
  const conversations = await em.nativeUpdate(ConversationEntity, { customerId: fromCustomerId }, { customerId: toCustomerId });
  const messages = await em.nativeUpdate(MessageEntity, { customerId: fromCustomerId }, { customerId: toCustomerId });
  for (const conversation of moved) {
    em.create(ConversationEventEntity, {
      id: randomUUID(),
      tenantId,
      conversationId: conversation.id,
      type: 'customer_changed',
      actorKind: actor.kind,
      actorId: actor.id,
      data: { from: fromCustomerId, to: toCustomerId, reason: 'merge' },
    });
  }
  return { conversations, messages };
}
