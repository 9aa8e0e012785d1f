import { assertUnreachable } from '@deskgraph/errors';
import type { Channel, ConversationState, Severity } from '../conversations/conversation.entity.js';

/** The ticket documents' words for conversation fields: one mapping, used both ways. */

export type TicketStatus = 'OPEN' | 'PENDING' | 'ESCALATED' | 'RESOLVED' | 'CLOSED';
export type TicketPriority = 'URGENT' | 'HIGH' | 'MEDIUM' | 'LOW';
export type TicketSource = 'EMAIL' | 'CHAT' | 'WEB' | 'PHONE' | 'SOCIAL';

export function ticketStatusOf(state: ConversationState): TicketStatus {
  switch (state) {
    case 'new':
    case 'bot':
    case 'awaiting_agent':
      return 'OPEN';
    case 'awaiting_customer':
      return 'PENDING';
    case 'escalated':
      return 'ESCALATED';
    case 'resolved':
      return 'RESOLVED';
    case 'closed':
      return 'CLOSED';
    default:
      return assertUnreachable(state);
  }
}

/** The state a ticket status asks for; OPEN means "back to support". */
export function stateOfTicketStatus(status: TicketStatus): ConversationState {
  switch (status) {
    case 'OPEN':
      return 'awaiting_agent';
    case 'PENDING':
      return 'awaiting_customer';
    case 'ESCALATED':
      return 'escalated';
    case 'RESOLVED':
      return 'resolved';
    case 'CLOSED':
      return 'closed';
    default:
      return assertUnreachable(status);
  }
}

/** Every state a status stands for (list filters). */
export function statesOfTicketStatus(status: TicketStatus): ConversationState[] {
  return status === 'OPEN' ? ['new', 'bot', 'awaiting_agent'] : [stateOfTicketStatus(status)];
}

export function ticketPriorityOf(severity: Severity): TicketPriority {
  switch (severity) {
    case 'P0':
      return 'URGENT';
    case 'P1':
      return 'HIGH';
    case 'P2':
      return 'MEDIUM';
    case 'P3':
      return 'LOW';
    default:
      return assertUnreachable(severity);
  }
}

export function severityOfTicketPriority(priority: TicketPriority): Severity {
  switch (priority) {
    case 'URGENT':
      return 'P0';
    case 'HIGH':
      return 'P1';
    case 'MEDIUM':
      return 'P2';
    case 'LOW':
      return 'P3';
    default:
      return assertUnreachable(priority);
  }
}

export function ticketSourceOf(channel: Channel): TicketSource {
  switch (channel) {
    case 'email':
      return 'EMAIL';
    case 'web_chat':
      return 'CHAT';
    case 'web_form':
    case 'api':
      return 'WEB';
    case 'voice':
    case 'sms':
      return 'PHONE';
    case 'whatsapp':
    case 'facebook':
    case 'twitter':
      return 'SOCIAL';
    default:
      return assertUnreachable(channel);
  }
}

/** The channel a new ticket of a source is opened on. */
export function channelOfTicketSource(source: TicketSource): Channel {
  switch (source) {
    case 'EMAIL':
      return 'email';
    case 'CHAT':
      return 'web_chat';
    case 'WEB':
      return 'web_form';
    case 'PHONE':
      return 'voice';
    case 'SOCIAL':
      return 'facebook';
    default:
      return assertUnreachable(source);
  }
}
