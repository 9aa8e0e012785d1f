import type { ConversationState } from '../conversations/conversation.entity.js';

/** The gateway-only answer for a widget token. */
export interface ChatWidgetGrantView {
  tenantId: string;
  channelId: string;
}

export interface ChatSessionView {
  id: string;
  customerId: string;
  channelId: string;
  state: ConversationState;
  resumed: boolean;
  startedAt: Date;
}

/** What a chatSessionEvents event carries before its fields are resolved (ids; entities load per event). */
export type ChatSessionEventView =
  | { kind: 'message'; sessionId: string; messageId: string }
  | { kind: 'typing'; sessionId: string; agentId: string | null; isTyping: boolean; at: Date }
  | { kind: 'handover'; sessionId: string; state: ConversationState; at: Date };

export type ChatMessageEventView = Extract<ChatSessionEventView, { kind: 'message' }>;
export type ChatTypingEventView = Extract<ChatSessionEventView, { kind: 'typing' }>;
export type ChatHandoverEventView = Extract<ChatSessionEventView, { kind: 'handover' }>;
