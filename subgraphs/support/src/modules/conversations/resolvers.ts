import type { Resolvers } from '../../__generated__/resolvers-types.js';

/** A federation reference to an entity another subgraph resolves. */
function reference<T extends string>(typename: T, id: string | null | undefined): { __typename: T; id: string } | null {
  return id ? { __typename: typename, id } : null;
}

export const conversationResolvers: Resolvers = {
  Query: {
    conversation: (_parent, { id }, ctx) => ctx.conversations.get(id),
    conversations: (_parent, args, ctx) => ctx.conversations.list(args),
  },
  Mutation: {
    createConversation: (_parent, { input }, ctx) => ctx.conversations.create(input),
    updateConversation: (_parent, { id, input }, ctx) => ctx.conversations.update(id, input),
    assignConversation: (_parent, { id, input }, ctx) => ctx.conversations.assign(id, input, false),
    transferConversation: (_parent, { id, input }, ctx) => ctx.conversations.assign(id, input, true),
    escalateConversation: (_parent, { id, input }, ctx) => ctx.conversations.escalate(id, input),
    resolveConversation: (_parent, { id, input }, ctx) => ctx.conversations.resolve(id, input),
    reopenConversation: (_parent, { id, input }, ctx) => ctx.conversations.reopen(id, input),
  },
  Conversation: {
    __resolveReference: (reference, ctx) => ctx.conversations.get(reference.id),
    customer: async (conversation, _args, ctx) => {
      const customer = await ctx.conversations.customerOf(conversation);
      if (!customer) throw new Error(`Customer ${conversation.customerId} of conversation ${conversation.id} is missing`);
      return customer;
    },
    assignedAgent: (conversation) => reference('User', conversation.assignedAgentId),
    assignedTeam: (conversation) => reference('Team', conversation.assignedTeamId),
    resolution: (conversation) => reference('Resolution', conversation.resolutionId),
    lastMessage: (conversation, _args, ctx) => ctx.conversations.lastMessage(conversation.id),
    messages: (conversation, args, ctx) => ctx.messages.forConversation(conversation.id, args),
    history: (conversation, _args, ctx) => ctx.conversations.history(conversation.id),
  },
  ConversationEvent: {
    actor: (event) => (event.actorKind === 'user' ? reference('User', event.actorId) : null),
  },
  Customer: {
    stats: (customer, _args, ctx) => ctx.conversations.customerStats(customer.id),
    recentConversations: (customer, { limit }, ctx) => ctx.conversations.recentOfCustomer(customer.id, limit),
    conversations: (customer, args, ctx) => ctx.conversations.ofCustomer(customer.id, args),
    timeline: (customer, args, ctx) => ctx.conversations.timeline(customer.id, args),
  },
};
