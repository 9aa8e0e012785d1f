import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import { parse, specifiedRules, validate, type DocumentNode, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import { LRUCache } from 'lru-cache';
import { scopesForRole, type Caller, type CallerAssertions } from '@deskgraph/auth';
import { AppError, isErrorCode, type ErrorCode, type FieldError } from '@deskgraph/errors';
import type { Logger } from '@deskgraph/runtime';
import { systemCaller } from '../auth/authenticator.js';
import type { GatewayContext } from '../graphql/gateway-context.js';
import { gatewayContextFor } from '../request-context.js';
import type { SubgraphClient } from '../subgraphs/subgraph-client.js';
import type { ResultStream, SubscriptionExecutor } from '../subscriptions/subscription-executor.js';
import type { SubscriptionPlanner } from '../subscriptions/subscription-plan.js';

const GRANT_CACHE_MS = 30_000;
/** The name a customer record created for an anonymous web-chat visitor gets. */
export const VISITOR_NAME = 'Web visitor';

const WIDGET_GRANT = /* GraphQL */ `
  query ChatWidgetGrant($token: String!) {
    _chatWidget(token: $token) {
      tenantId
      channelId
    }
  }
`;

const RESOLVE_VISITOR = /* GraphQL */ `
  mutation ChatWidgetVisitor($input: ResolveCustomerInput!) {
    resolveCustomer(input: $input) {
      customer {
        id
      }
    }
  }
`;

const START_SESSION = /* GraphQL */ `
  mutation ChatWidgetStartSession($input: StartChatSessionInput!) {
    startChatSession(input: $input) {
      id
      resumed
    }
  }
`;

const SEND_MESSAGE = /* GraphQL */ `
  mutation ChatWidgetSendMessage($sessionId: ID!, $text: String!) {
    sendChatMessage(sessionId: $sessionId, text: $text) {
      id
    }
  }
`;

const REQUEST_HANDOVER = /* GraphQL */ `
  mutation ChatWidgetRequestHandover($sessionId: ID!) {
    requestHandover(sessionId: $sessionId) {
      id
      state
    }
  }
`;

const SET_TYPING = /* GraphQL */ `
  mutation ChatWidgetSetTyping($sessionId: ID!, $isTyping: Boolean!) {
    setChatTyping(sessionId: $sessionId, isTyping: $isTyping)
  }
`;

/** The agent's name is identity's (User.displayName): resolved per event through the query plan. */
const SESSION_EVENTS = /* GraphQL */ `
  subscription ChatWidgetSessionEvents($sessionId: ID!) {
    chatSessionEvents(sessionId: $sessionId) {
      __typename
      ... on ChatMessageEvent {
        text
        message {
          id
          senderType
          senderId
          createdAt
          sender {
            displayName
          }
        }
      }
      ... on ChatTypingEvent {
        isTyping
        at
      }
      ... on ChatHandoverEvent {
        state
        at
      }
    }
  }
`;

/** What a valid widget token admits a visitor to. */
export interface WidgetGrant {
  tenantId: string;
  channelId: string;
}

/** One event of `chatSessionEvents`, as selected above. */
export type SessionEvent =
  | {
      __typename: 'ChatMessageEvent';
      text: string;
      message: {
        id: string;
        senderType: 'CUSTOMER' | 'AGENT' | 'AI' | 'SYSTEM';
        senderId: string | null;
        createdAt: string;
        sender: { displayName: string } | null;
      };
    }
  | { __typename: 'ChatTypingEvent'; isTyping: boolean; at: string }
  | { __typename: 'ChatHandoverEvent'; state: string; at: string };

/** A failed operation, with the code the gateway answered. */
export class ChatOperationError extends AppError {}

function failureOf(errors: readonly GraphQLFormattedError[]): ChatOperationError {
  const [first] = errors;
  const code = first?.extensions?.code;
  const known: ErrorCode = isErrorCode(code) ? code : 'INTERNAL_ERROR';
  if (known === 'INTERNAL_ERROR') return new ChatOperationError(known, 'Internal error');
  const details = Array.isArray(first?.extensions?.details) ? (first.extensions.details as FieldError[]) : [];
  const reasons = details.map((detail) => `${detail.field}: ${detail.message}`).join('; ');
  return new ChatOperationError(
    known,
    reasons ? `${first?.message ?? 'Invalid request'} (${reasons})` : (first?.message ?? 'Unknown error'),
  );
}

/**
 * The GraphQL operations behind `/ws`: mutations run through the gateway's own Apollo server
 * (rate limits, limits, error formatting as for any client), the session's events through the
 * federated subscription executor, and the widget token check goes straight to the support
 * subgraph as the gateway's system caller (its `_chatWidget` field is @inaccessible).
 */
export class ChatOperations {
  private readonly grants = new LRUCache<string, { grant: WidgetGrant | null }>({ max: 10_000, ttl: GRANT_CACHE_MS });
  private readonly sessionEvents: DocumentNode;

  constructor(
    private readonly options: {
      apollo: ApolloServer<GatewayContext>;
      support: SubgraphClient;
      planner: SubscriptionPlanner;
      executor: SubscriptionExecutor;
      assertions: CallerAssertions;
      logger: Logger;
    },
  ) {
    this.sessionEvents = parse(SESSION_EVENTS);
    const errors = validate(options.planner.apiGraphQLSchema, this.sessionEvents, specifiedRules);
    if (errors.length > 0)
      throw new Error(`chatSessionEvents does not match the supergraph: ${errors.map((error) => error.message).join('; ')}`);
  }

  /** Forgets cached widget tokens (a channel changed). */
  forgetGrants(): void {
    this.grants.clear();
  }

  /** The grant of an active widget token, or null; cached briefly. */
  async widgetGrant(token: string): Promise<WidgetGrant | null> {
    let cached = this.grants.get(token);
    if (!cached) {
      const result = await this.options.support.execute({
        query: WIDGET_GRANT,
        variables: { token },
        operationName: 'ChatWidgetGrant',
        callerToken: await this.options.assertions.sign(systemCaller),
        requestId: 'chat-widget-token-check',
      });
      if (result.errors?.length) throw new ChatOperationError('SERVICE_UNAVAILABLE', 'The widget token could not be checked');
      cached = { grant: (result.data as { _chatWidget: WidgetGrant | null } | undefined)?._chatWidget ?? null };
      this.grants.set(token, cached);
    }
    return cached.grant;
  }

  /**
   * The customer record of a visitor id (a DEVICE identity), found or created by resolveCustomer.
   * The gateway runs it for the widget's tenant: no visitor exists yet to run it as. Its rate
   * limit counts against the client address, so one address cannot mint visitors without end.
   */
  async resolveVisitor(grant: WidgetGrant, visitorId: string, clientSubject: string): Promise<string> {
    const caller: Caller = { ...systemCaller, tenantId: grant.tenantId };
    const context = { ...this.context(caller, `chat-${randomUUID()}`), rateLimitSubject: clientSubject };
    const data = await this.run<{ resolveCustomer: { customer: { id: string } } }>(context, RESOLVE_VISITOR, {
      input: { deviceFingerprint: visitorId, name: VISITOR_NAME },
    });
    return data.resolveCustomer.customer.id;
  }

  /** The gateway context of a visitor: role CUSTOMER, their customer record, rate-limited per visitor. */
  visitorContext(grant: WidgetGrant, customerId: string, requestId: string): GatewayContext {
    const caller: Caller = {
      kind: 'visitor',
      tenantId: grant.tenantId,
      userId: null,
      apiKeyId: null,
      sessionId: null,
      role: 'customer',
      scopes: scopesForRole('customer'),
      customerId,
    };
    return this.context(caller, requestId);
  }

  async startSession(context: GatewayContext, channelId: string, sessionId: string | null): Promise<{ id: string; resumed: boolean }> {
    const data = await this.run<{ startChatSession: { id: string; resumed: boolean } }>(context, START_SESSION, {
      input: { channelId, sessionId },
    });
    return data.startChatSession;
  }

  async sendMessage(context: GatewayContext, sessionId: string, text: string): Promise<string> {
    return (await this.run<{ sendChatMessage: { id: string } }>(context, SEND_MESSAGE, { sessionId, text })).sendChatMessage.id;
  }

  async requestHandover(context: GatewayContext, sessionId: string): Promise<void> {
    await this.run(context, REQUEST_HANDOVER, { sessionId });
  }

  async setTyping(context: GatewayContext, sessionId: string, isTyping: boolean): Promise<void> {
    await this.run(context, SET_TYPING, { sessionId, isTyping });
  }

  /** The session's live events (each hydrated across subgraphs); throws when the subscription is refused. */
  async events(context: GatewayContext, sessionId: string): Promise<ResultStream> {
    const started = await this.options.executor.subscribe(
      this.sessionEvents,
      SESSION_EVENTS,
      { sessionId },
      'ChatWidgetSessionEvents',
      context,
    );
    if (!(Symbol.asyncIterator in started)) throw failureOf(started.errors ?? []);
    return started;
  }

  private context(caller: Caller, requestId: string): GatewayContext {
    return gatewayContextFor({
      caller,
      authError: null,
      requestId,
      logger: this.options.logger,
      assertions: this.options.assertions,
      anonymousSubject: 'chat-widget',
    });
  }

  /** Runs one operation through Apollo; a fresh context object each time (Apollo keeps state per context). */
  private async run<T = Record<string, unknown>>(context: GatewayContext, query: string, variables: Record<string, unknown>): Promise<T> {
    const response = await this.options.apollo.executeOperation({ query, variables }, { contextValue: { ...context } });
    if (response.body.kind !== 'single') throw new Error('Incremental delivery is not used by the chat widget');
    const result: FormattedExecutionResult = response.body.singleResult;
    if (result.errors?.length) throw failureOf(result.errors);
    return result.data as T;
  }
}
