import { ConflictError } from '@deskgraph/errors';
import type { ConversationState } from './conversation.entity.js';

const OPEN_STATES = ['bot', 'awaiting_agent', 'awaiting_customer', 'escalated'] as const satisfies readonly ConversationState[];

/**
 * The legal moves of a conversation (the ConversationState description in the SDL):
 * NEW goes anywhere; the open states move among each other (BOT only from NEW), to RESOLVED
 * or CLOSED; RESOLVED is closed or reopened to AWAITING_AGENT; CLOSED is final.
 */
export const conversationTransitions: Readonly<Record<ConversationState, readonly ConversationState[]>> = {
  new: ['bot', 'awaiting_agent', 'awaiting_customer', 'escalated', 'resolved', 'closed'],
  bot: ['awaiting_agent', 'awaiting_customer', 'escalated', 'resolved', 'closed'],
  awaiting_agent: ['awaiting_customer', 'escalated', 'resolved', 'closed'],
  awaiting_customer: ['awaiting_agent', 'escalated', 'resolved', 'closed'],
  escalated: ['awaiting_agent', 'awaiting_customer', 'resolved', 'closed'],
  resolved: ['closed', 'awaiting_agent'],
  closed: [],
};

/** States in which the case is still being worked on (not RESOLVED or CLOSED). */
export function isOpenState(state: ConversationState): boolean {
  return state === 'new' || (OPEN_STATES as readonly string[]).includes(state);
}

export function canTransition(from: ConversationState, to: ConversationState): boolean {
  return conversationTransitions[from].includes(to);
}

/** How a state is spelled to clients (the GraphQL enum value). */
export function stateName(state: ConversationState): string {
  return state.toUpperCase();
}

/** Throws CONFLICT naming both states unless `from → to` is a legal move. */
export function assertTransition(from: ConversationState, to: ConversationState): void {
  if (canTransition(from, to)) return;
  const reason = from === to ? `it is already ${stateName(from)}` : from === 'closed' ? 'CLOSED is final' : 'that move is not allowed';
  throw new ConflictError(`A conversation cannot move from ${stateName(from)} to ${stateName(to)}: ${reason}`);
}
