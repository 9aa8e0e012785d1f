import type { Resolvers } from '../../__generated__/resolvers-types.js';

export const messageResolvers: Resolvers = {
  Query: {
    message: (_parent, { id }, ctx) => ctx.messages.get(id),
    messages: (_parent, args, ctx) => ctx.messages.list(args),
    attachment: (_parent, { id }, ctx) => ctx.messages.attachment(id),
  },
  Mutation: {
    sendMessage: (_parent, { conversationId, input }, ctx) => ctx.messages.send(conversationId, input),
    deleteMessage: (_parent, { id }, ctx) => ctx.messages.delete(id),
  },
  Message: {
    __resolveReference: (reference, ctx) => ctx.messages.get(reference.id),
    conversation: (message, _args, ctx) => ctx.conversations.ofMessage(message.conversationId),
    // Deleted content is never answered again (it is also erased from the row).
    content: (message) => (message.deletedAt ? null : message.content),
    sender: (message) =>
      message.senderType === 'agent' && message.senderId ? { __typename: 'User' as const, id: message.senderId } : null,
    attachments: (message, _args, ctx) => ctx.messages.attachmentsOf(message),
  },
  Attachment: {
    url: (attachment) => `/v1/attachments/${attachment.id}`,
    base64Content: (attachment, _args, ctx) => ctx.messages.attachmentContent(attachment),
  },
};
