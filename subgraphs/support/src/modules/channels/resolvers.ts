import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { plainText } from '../messages/message-content.js';
import type { ChatSessionEventView } from './chat.types.js';

export const channelResolvers: Resolvers = {
  Query: {
    chatChannels: (_parent, _args, ctx) => ctx.channels.list(),
    _chatWidget: (_parent, { token }, ctx) => ctx.channels.widgetGrant(token),
  },
  Mutation: {
    createChatChannel: (_parent, { input }, ctx) => ctx.channels.create(input),
    updateChatChannel: (_parent, { id, input }, ctx) => ctx.channels.update(id, input),
    disableChatChannel: (_parent, { id }, ctx) => ctx.channels.disable(id),
    startChatSession: (_parent, { input }, ctx) => ctx.channels.startSession(input),
    sendChatMessage: (_parent, { sessionId, text }, ctx) => ctx.channels.sendMessage(sessionId, text),
    requestHandover: (_parent, { sessionId }, ctx) => ctx.channels.requestHandover(sessionId),
    setChatTyping: (_parent, { sessionId, isTyping }, ctx) => ctx.channels.setTyping(sessionId, isTyping),
  },
  Subscription: {
    chatSessionEvents: {
      subscribe: (_parent, { sessionId }, ctx) => ctx.channels.sessionEvents(sessionId),
      resolve: (event: ChatSessionEventView) => event,
    },
  },
  ChatChannel: {
    __resolveReference: (reference, ctx) => ctx.channels.get(reference.id),
  },
  ChatSessionEvent: {
    __resolveType: (event) => {
      switch (event.kind) {
        case 'message':
          return 'ChatMessageEvent';
        case 'typing':
          return 'ChatTypingEvent';
        case 'handover':
          return 'ChatHandoverEvent';
      }
    },
  },
  ChatMessageEvent: {
    message: (event, _args, ctx) => ctx.channels.eventMessage(event.messageId),
    text: async (event, _args, ctx) => {
      const message = await ctx.channels.eventMessage(event.messageId);
      return message.deletedAt ? '' : plainText(message.content, message.contentType);
    },
  },
};
