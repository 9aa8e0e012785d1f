import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { AppError, type ErrorCode } from '@deskgraph/errors';
import type { EventBus } from '@deskgraph/events';
import type { Logger } from '@deskgraph/runtime';
import type { GatewayContext } from '../graphql/gateway-context.js';
import type { ResultStream } from '../subscriptions/subscription-executor.js';
import { noAiReply, type AiReplier } from './ai-reply.js';
import type { ChatOperations, SessionEvent, WidgetGrant } from './chat-operations.js';
import {
  AUDIO_NOT_SUPPORTED,
  CONNECTED_MESSAGE,
  CloseCodes,
  PROCESSING_ERROR,
  clientMessageSchema,
  clientMessageTypes,
  closeCodeOf,
  describeInvalid,
  errorMessage,
  frameOfEvent,
  socketErrorCodeOf,
  type ClientMessage,
  type ServerMessage,
} from './protocol.js';
import type { Transcriber } from './transcription.js';

const FAILED = 'Failed to process your message';
/** Frames waiting behind a slow operation before more are refused. */
const MAX_PENDING = 100;
/** A repeated typing state is passed on at most this often (agents' indicators time out). */
const TYPING_REFRESH_MS = 3000;

export interface ChatWidgetServerOptions {
  operations: ChatOperations;
  bus: EventBus;
  logger: Logger;
  /** Answers visitors' messages; default: nobody (agents answer). */
  aiReplier?: AiReplier;
  /** Speech to text for `audio` frames; default: none (`audio_not_supported`). */
  transcriber?: Transcriber | null;
  /** Frames a connection may send per second; more are dropped with an error (000: WebSocket 50 msg/sec). */
  messagesPerSecond?: number;
  /** Interval of keep-alive pings; a connection that missed the previous pong is dropped. */
  keepAliveMs?: number;
  /** Largest frame accepted (bigger ones close the connection with 1009). */
  maxPayloadBytes?: number;
  /** Bytes waiting in a socket's send buffer before it is disconnected. */
  maxBufferedBytes?: number;
  /** Believe `X-Forwarded-For` for the client address (TRUST_PROXY), which rate-limits new visitors. */
  trustProxy?: boolean;
}

type Settings = Required<ChatWidgetServerOptions>;

export interface ChatWidgetServer {
  wss: WebSocketServer;
  /** Open connections. */
  connections(): number;
  /** Takes over an HTTP upgrade of `/ws`. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every connection (1001) and stops accepting. */
  close(reason: string): Promise<void>;
}

interface Session {
  grant: WidgetGrant;
  customerId: string;
  userId: string;
  sessionId: string;
  context: GatewayContext;
}

/**
 * The 001 document's chat WebSocket on `/ws`, for customers (web chat): a thin adapter over
 * the GraphQL operations `startChatSession`, `sendChatMessage`, `setChatTyping`,
 * `requestHandover` and the `chatSessionEvents` subscription. A widget token admits the
 * visitor to a channel; `userId` finds or creates their customer record; `sessionId` resumes
 * an open session, else a new one starts.
 */
export function startChatWidgetServer(options: ChatWidgetServerOptions): ChatWidgetServer {
  const settings: Settings = {
    aiReplier: noAiReply,
    transcriber: null,
    messagesPerSecond: 50,
    keepAliveMs: 30_000,
    maxPayloadBytes: 1024 * 1024,
    maxBufferedBytes: 4 * 1024 * 1024,
    trustProxy: false,
    ...options,
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: settings.maxPayloadBytes });
  const connections = new Set<ChatConnection>();

  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const connection = new ChatConnection(socket, request, settings, () => connections.delete(connection));
    connections.add(connection);
  });

  const heartbeat = setInterval(() => {
    for (const connection of connections) connection.heartbeat();
  }, settings.keepAliveMs);
  heartbeat.unref();

  const unsubscribe = options.bus.subscribe((event) => {
    if (event.type === 'chat_channel.updated' || event.type === 'chat_channel.disabled') options.operations.forgetGrants();
    if (event.type === 'chat_channel.disabled') {
      for (const connection of connections) {
        if (connection.channelId === event.payload.channelId) connection.refuse('FORBIDDEN', 'This chat channel has been disabled');
      }
    }
  });

  return {
    wss,
    connections: () => connections.size,
    handleUpgrade(request, socket, head) {
      wss.handleUpgrade(request, socket, head, (websocket) => wss.emit('connection', websocket, request));
    },
    async close(reason) {
      clearInterval(heartbeat);
      unsubscribe();
      const open = [...connections];
      for (const connection of open) connection.shutdown(reason);
      await Promise.allSettled(open.map((connection) => connection.settled()));
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** One widget connection: its session, its queue of frames, its rate limit and its event stream. */
class ChatConnection {
  readonly id = `conn-${randomUUID()}`;
  private session: Session | null = null;
  private stream: ResultStream | null = null;
  private work: Promise<void>;
  private pending = 0;
  private closed = false;
  private alive = true;
  private window = { startedAt: 0, count: 0, warned: false };
  private typing: { isTyping: boolean; at: number } | null = null;
  private readonly logger: Logger;

  constructor(
    private readonly socket: WebSocket,
    private readonly request: IncomingMessage,
    private readonly settings: Settings,
    private readonly onGone: () => void,
  ) {
    this.logger = settings.logger.child({ chatConnection: this.id });
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('pong', () => {
      this.alive = true;
    });
    socket.on('error', (error) => this.logger.debug({ err: error }, 'chat widget socket error'));
    socket.on('close', () => this.gone());
    this.work = this.open().catch((error: unknown) => this.refuseAfter(error));
  }

  get channelId(): string | null {
    return this.session?.grant.channelId ?? null;
  }

  /** Resolves once queued frames have been handled. */
  settled(): Promise<void> {
    return this.work;
  }

  heartbeat(): void {
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    if (this.socket.readyState === WebSocket.OPEN) this.socket.ping();
  }

  /** Sends the error, then closes with the code that goes with it. */
  refuse(code: ErrorCode, message: string): void {
    this.send(errorMessage(socketErrorCodeOf(code), message));
    this.end(closeCodeOf(code), message);
  }

  /** Gateway shutdown. */
  shutdown(reason: string): void {
    this.end(CloseCodes.goingAway, reason);
  }

  private async open(): Promise<void> {
    const { operations } = this.settings;
    const params = new URL(this.request.url ?? '/', 'http://gateway').searchParams;
    const token = params.get('token')?.trim();
    if (!token) return this.refuse('UNAUTHORIZED', 'A widget token is required: connect to /ws?token=<widget token>');
    const grant = await operations.widgetGrant(token);
    if (!grant) return this.refuse('UNAUTHORIZED', 'Unknown or disabled widget token');
    const userId = params.get('userId')?.trim() || `visitor-${randomUUID()}`;
    if (!isVisitorId(userId)) return this.refuse('VALIDATION_ERROR', 'userId must be 1 to 200 printable characters');
    const customerId = await operations.resolveVisitor(grant, userId, `ip:${clientAddress(this.request, this.settings.trustProxy)}`);
    const context = operations.visitorContext(grant, customerId, `ws-chat-${this.id}`);
    const started = await operations.startSession(context, grant.channelId, params.get('sessionId')?.trim() || null);
    const stream = await operations.events(context, started.id);
    if (this.closed) {
      await stream.return?.();
      return;
    }
    this.stream = stream;
    this.session = { grant, customerId, userId, sessionId: started.id, context };
    void this.pump(stream);
    this.logger.debug({ sessionId: started.id, resumed: started.resumed }, 'chat widget connected');
    this.send({
      type: 'connection_established',
      connectionId: this.id,
      userId,
      sessionId: started.id,
      message: CONNECTED_MESSAGE,
      timestamp: new Date().toISOString(),
    });
  }

  private refuseAfter(error: unknown): void {
    if (error instanceof AppError) return this.refuse(error.code, error.code === 'INTERNAL_ERROR' ? FAILED : error.message);
    this.logger.error({ err: error }, 'chat widget connection failed');
    this.refuse('INTERNAL_ERROR', FAILED);
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.closed || !this.withinRate()) return;
    if (this.pending >= MAX_PENDING) {
      this.send(errorMessage(socketErrorCodeOf('RATE_LIMITED'), 'Too many messages waiting; this one was dropped'));
      return;
    }
    this.pending += 1;
    this.work = this.work
      .then(() => this.handle(data, isBinary))
      .catch((error: unknown) => this.report(error))
      .finally(() => {
        this.pending -= 1;
      });
  }

  /** At most `messagesPerSecond` frames per second; the rest are dropped, with one error per second. */
  private withinRate(): boolean {
    const now = Date.now();
    if (now - this.window.startedAt >= 1000) this.window = { startedAt: now, count: 0, warned: false };
    this.window.count += 1;
    if (this.window.count <= this.settings.messagesPerSecond) return true;
    if (!this.window.warned) {
      this.window.warned = true;
      this.send(
        errorMessage(
          socketErrorCodeOf('RATE_LIMITED'),
          `At most ${this.settings.messagesPerSecond} messages per second; messages over the limit are dropped`,
        ),
      );
    }
    return false;
  }

  private async handle(data: RawData, isBinary: boolean): Promise<void> {
    const session = this.session;
    if (!session || this.closed) return;
    const invalid = (message: string) => this.send(errorMessage(socketErrorCodeOf('VALIDATION_ERROR'), message));
    if (isBinary) return invalid('Messages are JSON text frames');
    let json: unknown;
    try {
      json = JSON.parse(rawText(data));
    } catch {
      return invalid('The message is not valid JSON');
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return invalid('A message is a JSON object with a "type"');
    const type = (json as { type?: unknown }).type;
    if (!(clientMessageTypes as readonly unknown[]).includes(type)) {
      return invalid(`Unknown message type ${JSON.stringify(type) ?? 'undefined'}; expected one of ${clientMessageTypes.join(', ')}`);
    }
    const parsed = clientMessageSchema.safeParse(json);
    if (!parsed.success) return invalid(`Invalid ${String(type)} message: ${describeInvalid(parsed.error)}`);
    await this.act(session, parsed.data);
  }

  private async act(session: Session, message: ClientMessage): Promise<void> {
    const { operations } = this.settings;
    switch (message.type) {
      case 'text':
        return this.sendText(session, message.text);
      case 'typing': {
        const now = Date.now();
        if (this.typing?.isTyping === message.isTyping && now - this.typing.at < TYPING_REFRESH_MS) return;
        this.typing = { isTyping: message.isTyping, at: now };
        return operations.setTyping(session.context, session.sessionId, message.isTyping);
      }
      case 'handover_request':
        // handover_initiated comes back through chatSessionEvents, to every connection of the session.
        return operations.requestHandover(session.context, session.sessionId);
      case 'audio': {
        const { transcriber } = this.settings;
        if (!transcriber) {
          this.send(errorMessage(AUDIO_NOT_SUPPORTED, 'Audio messages are not supported yet; please type your message'));
          return;
        }
        const text = await transcriber.transcribe({ base64: message.audio, format: message.format });
        this.send({ type: 'transcription', text, timestamp: new Date().toISOString() });
        return this.sendText(session, text);
      }
    }
  }

  private async sendText(session: Session, text: string): Promise<void> {
    const messageId = await this.settings.operations.sendMessage(session.context, session.sessionId, text);
    if (this.typing?.isTyping) this.typing = { isTyping: false, at: Date.now() };
    const turn = {
      tenantId: session.grant.tenantId,
      channelId: session.grant.channelId,
      customerId: session.customerId,
      sessionId: session.sessionId,
      messageId,
      text,
    };
    // The reply runs beside the connection's other frames: an AI answer may take seconds.
    void this.settings.aiReplier
      .reply(turn, {
        showTyping: (isTyping) => this.send({ type: isTyping ? 'typing_start' : 'typing_stop', timestamp: new Date().toISOString() }),
      })
      .catch((error: unknown) => {
        this.logger.error({ err: error, sessionId: session.sessionId }, 'AI reply failed');
        this.send(errorMessage(PROCESSING_ERROR, FAILED));
      });
  }

  private async pump(stream: ResultStream): Promise<void> {
    try {
      for (;;) {
        const next = await stream.next();
        if (next.done) break;
        const result = next.value;
        if (result.errors?.length) this.logger.warn({ errors: result.errors }, 'a chat session event resolved with errors');
        const event = (result.data as { chatSessionEvents?: SessionEvent } | null | undefined)?.chatSessionEvents;
        const frame = event ? frameOfEvent(event) : null;
        if (frame) this.send(frame);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'chat session stream failed');
    }
    if (!this.closed) this.refuse('SERVICE_UNAVAILABLE', 'The chat session was interrupted; reconnect to continue');
  }

  /** The operation failed: the visitor gets an error frame, the connection stays open. */
  private report(error: unknown): void {
    if (error instanceof AppError) {
      this.send(errorMessage(socketErrorCodeOf(error.code), error.code === 'INTERNAL_ERROR' ? FAILED : error.message));
      return;
    }
    this.logger.error({ err: error }, 'chat widget message failed');
    this.send(errorMessage(PROCESSING_ERROR, FAILED));
  }

  private send(frame: ServerMessage): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.socket.bufferedAmount > this.settings.maxBufferedBytes) {
      this.end(CloseCodes.tryAgainLater, 'Client too slow');
      return;
    }
    this.socket.send(JSON.stringify(frame));
  }

  private end(code: number, reason: string): void {
    this.detach();
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      // A close reason is at most 123 bytes.
      this.socket.close(code, Buffer.from(reason).subarray(0, 120).toString());
    }
  }

  private gone(): void {
    const session = this.session;
    const wasTyping = this.typing?.isTyping === true;
    this.detach();
    this.onGone();
    // Agents should not see a visitor who left typing forever.
    if (session && wasTyping) {
      this.settings.operations.setTyping(session.context, session.sessionId, false).catch(() => undefined);
    }
  }

  private detach(): void {
    if (this.closed) return;
    this.closed = true;
    this.typing = null;
    void this.stream?.return?.();
  }
}

/** The client's address: the first `X-Forwarded-For` entry behind a trusted proxy, else the peer's. */
function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  const forwarded = request.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return (trustProxy && first) || request.socket.remoteAddress || 'unknown';
}

/** 1 to 200 characters, none of them a control character. */
function isVisitorId(value: string): boolean {
  const characters = [...value];
  return characters.length <= 200 && characters.every((character) => character.charCodeAt(0) > 0x1f && character.charCodeAt(0) !== 0x7f);
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
