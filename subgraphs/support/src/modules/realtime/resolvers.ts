import type { Resolvers } from '../../__generated__/resolvers-types.js';
import type { Conversation } from '../conversations/conversation.entity.js';
import type { AssignmentEvent, MessageAddedEvent, SlaAlertEvent, StateChangeEvent, TypingEvent } from './realtime.types.js';

async function required<T>(value: Promise<T | null>, what: string): Promise<T> {
  const found = await value;
  if (!found) throw new Error(`${what} of a live event no longer exists`);
  return found;
}

export const realtimeResolvers: Resolvers = {
  Subscription: {
    conversationMessageAdded: {
      subscribe: (_parent, { conversationId }, ctx) => ctx.realtime.messageAdded(conversationId),
      resolve: (event: MessageAddedEvent) => event,
    },
    conversationNew: {
      subscribe: (_parent, { teamIds }, ctx) => ctx.realtime.conversationNew(teamIds),
      resolve: (
        event: { conversationId: string },
        _args: unknown,
        ctx: { conversations: { load(id: string): Promise<Conversation | null> } },
      ) => required(ctx.conversations.load(event.conversationId), 'The conversation'),
    },
    conversationStateChanged: {
      subscribe: (_parent, { conversationId }, ctx) => ctx.realtime.stateChanged(conversationId),
      resolve: (event: StateChangeEvent) => event,
    },
    conversationAssigned: {
      subscribe: (_parent, { conversationId }, ctx) => ctx.realtime.assigned(conversationId),
      resolve: (event: AssignmentEvent) => event,
    },
    conversationTyping: {
      subscribe: (_parent, { conversationId }, ctx) => ctx.realtime.typing(conversationId),
      resolve: (event: TypingEvent) => event,
    },
    slaWarning: {
      subscribe: (_parent, _args, ctx) => ctx.realtime.slaAlerts('sla.warning'),
      resolve: (event: SlaAlertEvent) => event,
    },
    slaBreached: {
      subscribe: (_parent, _args, ctx) => ctx.realtime.slaAlerts('sla.breached'),
      resolve: (event: SlaAlertEvent) => event,
    },
  },
  Mutation: {
    setTyping: (_parent, { conversationId, isTyping }, ctx) => ctx.realtime.setTyping(conversationId, isTyping),
    markConversationRead: (_parent, { conversationId }, ctx) => ctx.realtime.markRead(conversationId),
  },
  ConversationMessageEvent: {
    message: (event, _args, ctx) => required(ctx.messages.load(event.messageId), 'The message'),
  },
  ConversationStateChange: {
    conversation: (event, _args, ctx) => required(ctx.conversations.load(event.conversationId), 'The conversation'),
  },
  ConversationAssignment: {
    conversation: (event, _args, ctx) => required(ctx.conversations.load(event.conversationId), 'The conversation'),
  },
  SlaAlert: {
    conversation: (event, _args, ctx) => required(ctx.conversations.load(event.conversationId), 'The conversation'),
  },
};
