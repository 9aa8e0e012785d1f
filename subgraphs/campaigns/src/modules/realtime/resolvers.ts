import type { Resolvers } from '../../__generated__/resolvers-types.js';
import type { CallAgentPresenceView, CallEndEvent, IncomingCallEvent } from './realtime.types.js';

export const realtimeResolvers: Resolvers = {
  Subscription: {
    incomingCall: {
      subscribe: (_parent, { campaignId, agentId }, ctx) => ctx.realtime.incomingCalls(campaignId, agentId),
      resolve: (event: IncomingCallEvent) => event,
    },
    callEnded: {
      subscribe: (_parent, { campaignId }, ctx) => ctx.realtime.callsEnded(campaignId),
      resolve: (event: CallEndEvent) => event,
    },
    callAgentStatusUpdated: {
      subscribe: (_parent, { agentId }, ctx) => ctx.realtime.agentStatusUpdates(agentId),
      resolve: (event: CallAgentPresenceView) => event,
    },
  },
  Mutation: {
    joinCallCenter: (_parent, _args, ctx) => ctx.realtime.join(),
    setCallAgentStatus: (_parent, { status }, ctx) => ctx.realtime.setStatus(status),
  },
  IncomingCall: {
    campaign: (event, _args, ctx) => ctx.campaigns.load(event.campaignId),
  },
  CallEnd: {
    campaign: (event, _args, ctx) => ctx.campaigns.load(event.campaignId),
  },
};
