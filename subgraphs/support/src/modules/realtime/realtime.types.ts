import type { ConversationState } from '../conversations/conversation.entity.js';

/** What a subscription event carries before its fields are resolved (ids; entities load per event). */
export interface MessageAddedEvent {
  conversationId: string;
  messageId: string;
}

export interface StateChangeEvent {
  conversationId: string;
  from: ConversationState;
  to: ConversationState;
  changedAt: Date;
}

export interface AssignmentEvent {
  conversationId: string;
  agentId: string | null;
  teamId: string | null;
  previousAgentId: string | null;
  previousTeamId: string | null;
  transfer: boolean;
  reason: string | null;
}

export interface TypingEvent {
  conversationId: string;
  userId: string | null;
  isTyping: boolean;
  at: Date;
}

export type SlaAlertKind = 'FIRST_RESPONSE' | 'RESOLUTION';

export interface SlaAlertEvent {
  conversationId: string;
  dueAt: Date;
  minutesRemaining: number;
  kind: SlaAlertKind;
}
