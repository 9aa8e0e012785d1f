import { describe, expect, it } from 'vitest';
import { AppError } from '@deskgraph/errors';
import { conversationStates, type ConversationState } from '../conversation.entity.js';
import { assertTransition, canTransition, isOpenState } from '../conversation-states.js';

/** The whole table, written out: `legal[from]` lists every state `from` may move to. */
const legal: Record<ConversationState, ConversationState[]> = {
  new: ['bot', 'awaiting_agent', 'awaiting_customer', 'escalated', 'resolved', 'closed'],
  bot: ['awaiting_agent', 'awaiting_customer', 'escalated', 'resolved', 'closed'],
  awaiting_agent: ['awaiting_customer', 'escalated', 'resolved', 'closed'],
  awaiting_customer: ['awaiting_agent', 'escalated', 'resolved', 'closed'],
  escalated: ['awaiting_agent', 'awaiting_customer', 'resolved', 'closed'],
  resolved: ['awaiting_agent', 'closed'],
  closed: [],
};

const pairs = conversationStates.flatMap((from) => conversationStates.map((to) => [from, to] as const));

describe('conversation state machine', () => {
  it.each(pairs.filter(([from, to]) => legal[from].includes(to)))('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(pairs.filter(([from, to]) => !legal[from].includes(to)))('refuses %s → %s with CONFLICT naming both states', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    let thrown: unknown;
    try {
      assertTransition(from, to);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('CONFLICT');
    expect((thrown as AppError).message).toContain(from.toUpperCase());
    expect((thrown as AppError).message).toContain(to.toUpperCase());
  });

  it('reaches BOT only from NEW and leaves CLOSED never', () => {
    expect(conversationStates.filter((from) => canTransition(from, 'bot'))).toEqual(['new']);
    expect(conversationStates.filter((to) => canTransition('closed', to))).toEqual([]);
  });

  it('calls every state but RESOLVED and CLOSED open', () => {
    expect(conversationStates.filter(isOpenState)).toEqual(['new', 'bot', 'awaiting_agent', 'awaiting_customer', 'escalated']);
  });
});
