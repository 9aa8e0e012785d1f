import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { CallerAssertions } from '@deskgraph/auth';
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
    let caller = null;
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
    let callerToken: Promise<string | null> | null = null;
    request.gatewayContext = {
      requestId: request.requestId,
      logger: options.logger.child({ requestId: request.requestId }),
      caller,
      authError,
      rateLimitSubject: caller ? (caller.userId ? `user:${caller.userId}` : `key:${caller.apiKeyId}`) : `ip:${request.ip}`,
      callerToken: () => (callerToken ??= caller ? options.assertions.sign(caller) : Promise.resolve(null)),
    };
    next();
  };
}
