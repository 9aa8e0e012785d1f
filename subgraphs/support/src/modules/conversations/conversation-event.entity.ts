import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '@deskgraph/database';

export const conversationEventTypes = [
  'created',
  'updated',
  'state_changed',
  'assigned',
  'transferred',
  'escalated',
  'resolved',
  'reopened',
  'customer_changed',
  'message_deleted',
] as const;
export type ConversationEventType = (typeof conversationEventTypes)[number];

/** The history of a conversation: who changed what, when (also the ticket history of 002). */
export const ConversationEventEntity = defineEntity({
  name: 'ConversationEvent',
  tableName: 'conversation_events',
  filters: tenantFilter,
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    conversationId: p.uuid(),
    type: p.enum([...conversationEventTypes]),
    /** `user`, `apiKey`, `system` or `customer`. */
    actorKind: p.string().length(20),
    actorId: p.string().length(100).nullable(),
    data: p.json<Record<string, unknown>>().default('{}'),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
  indexes: [{ name: 'conversation_events_conversation_idx', properties: ['conversationId', 'createdAt', 'id'] }],
});
export type ConversationEvent = InferEntity<typeof ConversationEventEntity>;
