import type { Connection } from '@deskgraph/database';
import type { ConversationEvent } from '../conversations/conversation-event.entity.js';
import type { Conversation } from '../conversations/conversation.entity.js';
import type { Message } from '../messages/message.entity.js';
import type { Customer } from './customer.entity.js';

export type CustomerConnection = Connection<Customer>;

/** Figures about a customer's conversations (000's `stats`). */
export interface CustomerStatsView {
  totalConversations: number;
  openConversations: number;
  avgResolutionTimeHours: number | null;
  lastContactAt: Date | null;
}

/** One entry of a customer's timeline; exactly one of message/event is set unless it is a start. */
export interface TimelineEntryView {
  id: string;
  kind: 'CONVERSATION_STARTED' | 'MESSAGE' | 'NOTE' | 'STATE_CHANGE';
  occurredAt: Date;
  conversation: Conversation;
  message: Message | null;
  event: ConversationEvent | null;
}

export interface TimelineConnection {
  edges: { cursor: string; node: TimelineEntryView }[];
  nodes: TimelineEntryView[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export interface ResolveCustomerResult {
  customer: Customer;
  created: boolean;
}

export interface MergeCustomersResult {
  customer: Customer;
  movedIdentities: number;
  movedConversations: number;
  movedMessages: number;
  merged: boolean;
}
