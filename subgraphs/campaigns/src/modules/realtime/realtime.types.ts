/** A call agent's status as events carry it (003: available | busy | offline | break). */
export const callAgentStatuses = ['available', 'busy', 'offline', 'break'] as const;
export type CallAgentStatus = (typeof callAgentStatuses)[number];

/** How a call ended as events carry it (003: answered | voicemail | no_answer | busy | failed). */
export const callDispositions = ['answered', 'voicemail', 'no_answer', 'busy', 'failed'] as const;
export type CallDisposition = (typeof callDispositions)[number];

/** What a subscription event carries before its fields are resolved (ids; the campaign loads per event). */
export interface IncomingCallEvent {
  callId: string;
  campaignId: string;
  leadId: string;
  agentId: string | null;
  fromNumber: string;
  toNumber: string;
  receivedAt: Date;
}

export interface CallEndEvent {
  callId: string;
  campaignId: string;
  disposition: CallDisposition;
  duration: number;
  endedAt: Date;
}

export interface CallAgentPresenceView {
  agentId: string;
  status: CallAgentStatus;
  changedAt: Date;
}
