import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { ticketPriorityOf, ticketSourceOf, ticketStatusOf } from './ticket-mapping.js';

export const ticketResolvers: Resolvers = {
  Query: {
    ticket: (_parent, { id }, ctx) => ctx.tickets.get(id),
    tickets: (_parent, args, ctx) => ctx.tickets.list(args),
    ticketTemplates: (_parent, _args, ctx) => ctx.tickets.templates(),
  },
  Mutation: {
    createTicket: (_parent, { input }, ctx) => ctx.tickets.create(input),
    updateTicket: (_parent, { id, input }, ctx) => ctx.tickets.update(id, input),
    deleteTicket: (_parent, { id }, ctx) => ctx.tickets.delete(id),
    addTicketComment: (_parent, { ticketId, input }, ctx) => ctx.tickets.comment(ticketId, input),
    bulkTickets: (_parent, { input }, ctx) => ctx.tickets.bulk(input),
    createTicketTemplate: (_parent, { input }, ctx) => ctx.tickets.createTemplate(input),
  },
  Ticket: {
    __resolveReference: (reference, ctx) => ctx.tickets.get(reference.id),
    title: (ticket) => ticket.subject,
    description: async (ticket, _args, ctx) =>
      (await ctx.tickets.messagesOf(ticket.id)).find((message) => !message.isInternal)?.content ?? '',
    status: (ticket) => ticketStatusOf(ticket.state),
    priority: (ticket) => ticketPriorityOf(ticket.severity),
    customer: async (ticket, _args, ctx) => {
      const customer = await ctx.conversations.customerOf(ticket);
      if (!customer) throw new Error(`Customer ${ticket.customerId} of ticket ${ticket.id} is missing`);
      return customer;
    },
    assignee: (ticket) => (ticket.assignedAgentId ? { id: ticket.assignedAgentId } : null),
    assigneeId: (ticket) => ticket.assignedAgentId ?? null,
    teamId: (ticket) => ticket.assignedTeamId ?? null,
    source: (ticket) => ticketSourceOf(ticket.channelsUsed[0] ?? ticket.currentChannel),
    channel: (ticket) => ticket.channelsUsed[0] ?? ticket.currentChannel,
    dueDate: (ticket) => ticket.dueAt ?? ticket.slaDueAt ?? null,
    attachments: (ticket, _args, ctx) => ctx.tickets.attachmentsOf(ticket.id),
    comments: async (ticket, _args, ctx) => (await ctx.tickets.messagesOf(ticket.id)).filter((message) => !message.isInternal).slice(1),
    internalNotes: async (ticket, _args, ctx) => (await ctx.tickets.messagesOf(ticket.id)).filter((message) => message.isInternal),
    history: (ticket, _args, ctx) => ctx.conversations.history(ticket.id),
    aiSuggestions: () => [],
    conversation: (ticket) => ticket,
  },
  TicketComment: {
    isPrivate: (message) => message.isInternal,
    type: (message) => (message.senderType === 'ai' ? 'AI' : 'HUMAN'),
    authorType: (message) => message.senderType,
    authorId: (message) => message.senderId ?? null,
    content: (message) => message.content,
    attachments: (message, _args, ctx) => ctx.messages.attachmentsOf(message),
  },
  TicketTemplate: {
    __resolveReference: (reference, ctx) => ctx.tickets.loadTemplate(reference.id),
    title: (template) => template.subject ?? null,
    priority: (template) => (template.severity ? ticketPriorityOf(template.severity) : null),
    teamId: (template) => template.assignedTeamId ?? null,
    assigneeId: (template) => template.assignedAgentId ?? null,
  },
};
