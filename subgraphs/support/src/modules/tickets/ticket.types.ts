import type { Connection } from '@deskgraph/database';
import type { Conversation } from '../conversations/conversation.entity.js';

/** A ticket is a view of a conversation: the same row, read through the ticket documents' words. */
export type TicketConnection = Connection<Conversation>;

export interface BulkTicketsResult {
  results: { ticketId: string; success: boolean; error: { code: string; message: string } | null }[];
  succeeded: number;
  failed: number;
}
