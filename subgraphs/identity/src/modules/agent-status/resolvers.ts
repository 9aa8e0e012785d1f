import type { Resolvers } from '../../__generated__/resolvers-types.js';
import type { AgentStatusChangeEvent } from './agent-status.types.js';

export const agentStatusResolvers: Resolvers = {
  Subscription: {
    agentStatusChanged: {
      subscribe: (_parent, { userId }, ctx) => ctx.agentStatus.changes(userId),
      resolve: (event: AgentStatusChangeEvent) => event,
    },
  },
  Mutation: {
    setAgentStatus: (_parent, { status }, ctx) => ctx.agentStatus.set(status),
  },
  AgentStatusChange: {
    user: async (event, _args, ctx) => {
      const user = await ctx.users.load(event.userId);
      if (!user) throw new Error('The user of a live event no longer exists');
      return user;
    },
  },
};
