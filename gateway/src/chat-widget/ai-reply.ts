/**
 * The seam where the AI answers web-chat visitors (the knowledge / AI issue fills it in).
 * Until then a visitor's message goes to the conversation and to agents only.
 */

/** One message a visitor sent, already stored in their conversation. */
export interface VisitorTurn {
  tenantId: string;
  /** The chat channel (widget) the visitor came through. */
  channelId: string;
  /** The visitor's customer record. */
  customerId: string;
  /** The chat session: the id of its conversation. */
  sessionId: string;
  /** The stored message. */
  messageId: string;
  text: string;
}

/** What a reply may do on the visitor's socket while it works. */
export interface VisitorSocket {
  /** Shows (or hides) the 001 `typing_start` / `typing_stop` indicator to the visitor. */
  showTyping(isTyping: boolean): void;
}

/**
 * Answers a visitor's message. An implementation posts its answer into the conversation as an
 * AI message (`sendMessage` with sender type AI, or the AI subgraph's own operation); it then
 * reaches the visitor through `chatSessionEvents` as a 001 `message` with `sender: "ai"`, like
 * agent messages do. It may instead hand the session over to a human (`conversation.handover_requested`).
 * It runs beside the socket's other work; a failure is logged and reported as `processing_error`.
 */
export interface AiReplier {
  reply(turn: VisitorTurn, socket: VisitorSocket): Promise<void>;
}

/** No AI yet: agents answer. */
export const noAiReply: AiReplier = {
  async reply() {
    // Deliberately nothing: the message is already in the conversation for agents.
  },
};
