import { z } from 'zod';
import { assertUnreachable, type ErrorCode } from '@deskgraph/errors';
import { aiPlatformCodeOf } from '../rest/envelopes.js';
import type { SessionEvent } from './chat-operations.js';

/**
 * The 001 document's WebSocket protocol on `/ws`: what a chat widget sends and receives.
 * Every frame is one JSON object with a `type`.
 */

const clientTimestamp = z.string().max(64).optional();
const clientId = z.string().max(200).optional();

export const MAX_TEXT_LENGTH = 100_000;

/** Client → server, validated before anything runs. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    text: z
      .string()
      .max(MAX_TEXT_LENGTH, { message: `must be at most ${MAX_TEXT_LENGTH} characters` })
      .refine((text) => text.trim().length > 0, { message: 'is required' }),
    id: clientId,
    timestamp: clientTimestamp,
  }),
  z.object({
    type: z.literal('audio'),
    audio: z.string().min(1, { message: 'is required' }),
    format: z.string().max(20).optional(),
    id: clientId,
    timestamp: clientTimestamp,
  }),
  z.object({ type: z.literal('handover_request'), timestamp: clientTimestamp }),
  z.object({ type: z.literal('typing'), isTyping: z.boolean(), timestamp: clientTimestamp }),
]);

export type ClientMessage = z.output<typeof clientMessageSchema>;
export const clientMessageTypes = ['text', 'audio', 'handover_request', 'typing'] as const;

/** Server → client. */
export type ServerMessage =
  | { type: 'connection_established'; connectionId: string; userId: string; sessionId: string; message: string; timestamp: string }
  | { type: 'message'; text: string; messageId: string; timestamp: string; sender: 'ai' }
  | {
      type: 'message';
      text: string;
      messageId: string;
      agentId: string | null;
      agentName: string;
      timestamp: string;
      sender: 'agent';
    }
  | { type: 'typing_start' | 'typing_stop'; timestamp: string }
  | { type: 'transcription'; text: string; timestamp: string }
  | { type: 'handover_initiated'; message: string; timestamp: string }
  | { type: 'error'; message: string; code: string; timestamp: string };

export const CONNECTED_MESSAGE = 'Connected to AI Customer Support';
export const HANDOVER_MESSAGE = 'Connecting you with a human agent...';
/** An agent message whose author is gone (deleted user, API key) still names someone. */
export const UNKNOWN_AGENT_NAME = 'Support agent';

/** Error codes of this socket beyond the 001 document's table. */
export const AUDIO_NOT_SUPPORTED = 'audio_not_supported';
export const PROCESSING_ERROR = 'processing_error';

/**
 * The `code` of an `error` frame: the 001 document's lower-case codes (its error table), except
 * that an internal failure is the socket's documented `processing_error`.
 */
export function socketErrorCodeOf(code: ErrorCode): string {
  return code === 'INTERNAL_ERROR' ? PROCESSING_ERROR : aiPlatformCodeOf(code);
}

/** WebSocket close codes of `/ws` (4400/4401/4403/4429 as in graphql-ws; 1001, 1011, 1013 standard). */
export const CloseCodes = {
  goingAway: 1001,
  internalError: 1011,
  tryAgainLater: 1013,
  badRequest: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  tooManyRequests: 4429,
} as const;

export function closeCodeOf(code: ErrorCode): number {
  switch (code) {
    case 'UNAUTHORIZED':
      return CloseCodes.unauthorized;
    case 'FORBIDDEN':
    case 'NOT_FOUND':
      return CloseCodes.forbidden;
    case 'VALIDATION_ERROR':
      return CloseCodes.badRequest;
    case 'RATE_LIMITED':
      return CloseCodes.tooManyRequests;
    case 'SERVICE_UNAVAILABLE':
      return CloseCodes.tryAgainLater;
    case 'CONFLICT':
    case 'INTERNAL_ERROR':
    case 'CHANNEL_ERROR':
    case 'AI_ERROR':
      return CloseCodes.internalError;
    default:
      return assertUnreachable(code);
  }
}

export function errorMessage(code: string, message: string): ServerMessage {
  return { type: 'error', message, code, timestamp: new Date().toISOString() };
}

/** Why a frame was refused, in one line: `text: is required`. */
export function describeInvalid(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

/** The 001 frame of one session event; null for events the visitor does not see. */
export function frameOfEvent(event: SessionEvent): ServerMessage | null {
  switch (event.__typename) {
    case 'ChatMessageEvent': {
      const { message } = event;
      if (message.senderType === 'CUSTOMER') return null;
      if (message.senderType === 'AGENT') {
        return {
          type: 'message',
          text: event.text,
          messageId: message.id,
          agentId: message.senderId,
          agentName: message.sender?.displayName ?? UNKNOWN_AGENT_NAME,
          timestamp: message.createdAt,
          sender: 'agent',
        };
      }
      // The 001 protocol knows two senders; AI answers and system notices are the automated side.
      return { type: 'message', text: event.text, messageId: message.id, timestamp: message.createdAt, sender: 'ai' };
    }
    case 'ChatTypingEvent':
      return { type: event.isTyping ? 'typing_start' : 'typing_stop', timestamp: event.at };
    case 'ChatHandoverEvent':
      return { type: 'handover_initiated', message: HANDOVER_MESSAGE, timestamp: event.at };
    default:
      return null;
  }
}
