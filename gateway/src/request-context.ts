import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Caller, CallerAssertions } from '@deskgraph/auth';
import { AppError } from '@deskgraph/errors';
import type { Logger } from '@deskgraph/runtime';
import type { Authenticator } from './auth/authenticator.js';
import type { GatewayContext } from './graphql/gateway-context.js';

const REQUEST_ID = /^[\w.:-]{1,100}$/;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The request's id: the client's `X-Request-Id` when sane, else a new UUID. */
      requestId: string;
      /** Set for every API request by `authenticateRequest`. */
      gatewayContext: GatewayContext;
    }
  }
}

/** Gives every request an id, echoed in `X-Request-Id` and carried by every log line. */
export function assignRequestId(request: Request, response: Response, next: NextFunction): void {
  const offered = request.header('x-request-id');
  request.requestId = offered && REQUEST_ID.test(offered) ? offered : randomUUID();
  response.setHeader('X-Request-Id', request.requestId);
  next();
}

/**
 * Authenticates the request and builds its gateway context. Invalid credentials are
 * recorded, not answered here: each edge (GraphQL, each REST document) answers in its own shape.
 */
export function authenticateRequest(options: { authenticator: Authenticator; assertions: CallerAssertions; logger: Logger }) {
  return async (request: Request, _response: Response, next: NextFunction): Promise<void> => {
    let caller: Caller | null = null;
    let authError: AppError | null = null;
    try {
      caller = await options.authenticator.authenticate({
        authorization: request.header('authorization'),
        apiKey: request.header('x-api-key'),
      });
    } catch (error) {
      if (!(error instanceof AppError)) {
        next(error);
        return;
      }
      authError = error;
    }
    request.gatewayContext = gatewayContextFor({
      caller,
      authError,
      requestId: request.requestId,
      logger: options.logger,
      assertions: options.assertions,
      anonymousSubject: `ip:${request.ip}`,
    });
    next();
  };
}

/** The gateway context of one request or WebSocket connection, for every edge. */
export function gatewayContextFor(options: {
  caller: Caller | null;
  authError: AppError | null;
  requestId: string;
  logger: Logger;
  assertions: CallerAssertions;
  /** Who rate limits count against when nobody signed in (the client address). */
  anonymousSubject: string;
}): GatewayContext {
  const { caller, assertions } = options;
  let callerToken: Promise<string | null> | null = null;
  return {
    requestId: options.requestId,
    logger: options.logger.child({ requestId: options.requestId }),
    caller,
    authError: options.authError,
    rateLimitSubject: rateLimitSubjectOf(caller) ?? options.anonymousSubject,
    callerToken: () => (callerToken ??= caller ? assertions.sign(caller) : Promise.resolve(null)),
  };
}

/** Who a caller's requests count against: the user, the web-chat visitor's customer, the key. */
function rateLimitSubjectOf(caller: Caller | null): string | null {
  if (!caller) return null;
  if (caller.userId) return `user:${caller.userId}`;
  if (caller.customerId) return `visitor:${caller.customerId}`;
  if (caller.apiKeyId) return `key:${caller.apiKeyId}`;
  return `system:${caller.tenantId}`;
}
