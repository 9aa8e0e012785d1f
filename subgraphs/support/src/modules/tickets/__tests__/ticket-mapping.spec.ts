import { describe, expect, it } from 'vitest';
import { channels, conversationStates, severities } from '../../conversations/conversation.entity.js';
import {
  channelOfTicketSource,
  severityOfTicketPriority,
  stateOfTicketStatus,
  statesOfTicketStatus,
  ticketPriorityOf,
  ticketSourceOf,
  ticketStatusOf,
} from '../ticket-mapping.js';

describe('ticket mapping', () => {
  it('gives every conversation state a ticket status whose states include it', () => {
    for (const state of conversationStates) expect(statesOfTicketStatus(ticketStatusOf(state))).toContain(state);
  });

  it('maps a status to the state it asks for, which maps back to the same status', () => {
    for (const status of ['OPEN', 'PENDING', 'ESCALATED', 'RESOLVED', 'CLOSED'] as const) {
      expect(ticketStatusOf(stateOfTicketStatus(status))).toBe(status);
    }
    expect(stateOfTicketStatus('OPEN')).toBe('awaiting_agent');
  });

  it('maps priorities and severities one to one', () => {
    expect(severities.map(ticketPriorityOf)).toEqual(['URGENT', 'HIGH', 'MEDIUM', 'LOW']);
    for (const severity of severities) expect(severityOfTicketPriority(ticketPriorityOf(severity))).toBe(severity);
  });

  it('gives every channel a source, and every source a channel of that source', () => {
    for (const channel of channels) expect(['EMAIL', 'CHAT', 'WEB', 'PHONE', 'SOCIAL']).toContain(ticketSourceOf(channel));
    for (const source of ['EMAIL', 'CHAT', 'WEB', 'PHONE', 'SOCIAL'] as const)
      expect(ticketSourceOf(channelOfTicketSource(source))).toBe(source);
  });
});
