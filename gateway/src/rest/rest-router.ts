import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import type { ApolloServer } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { AppError, isErrorCode, type FieldError } from '@deskgraph/errors';
import type { Logger } from '@deskgraph/runtime';
import type { GatewayContext } from '../graphql/gateway-context.js';
import { familyOfPath, sendFailure, sendSuccess, type RestFailure } from './envelopes.js';
import type { RestRequest, RestRoute } from './route.js';

/** GraphQL input paths (`input.email`) are REST body fields (`email`). */
function restDetails(details: unknown): FieldError[] | undefined {
  if (!Array.isArray(details)) return undefined;
  return (details as FieldError[]).map((detail) => ({ ...detail, field: detail.field.replace(/^input\./, '') }));
}

function failureOf(error: GraphQLFormattedError): RestFailure {
  const code = error.extensions?.code;
  return {
    code: isErrorCode(code) ? code : 'INTERNAL_ERROR',
    message: isErrorCode(code) ? error.message : 'Internal server error',
    details: restDetails(error.extensions?.details),
  };
}

async function handle(route: RestRoute, apollo: ApolloServer<GatewayContext>, request: Request, response: Response): Promise<void> {
  const context = request.gatewayContext;
  const fail = (failure: RestFailure) => sendFailure(response, route.family, context.requestId, failure);
  if (context.authError) return fail({ code: context.authError.code, message: context.authError.message });
  if (!route.public && !context.caller) return fail({ code: 'UNAUTHORIZED', message: 'Invalid or missing authentication' });
  const restRequest: RestRequest = {
    params: request.params as Record<string, string>,
    query: request.query as Record<string, unknown>,
    body: (typeof request.body === 'object' && request.body !== null && !Array.isArray(request.body) ? request.body : {}) as Record<
      string,
      unknown
    >,
    caller: context.caller,
  };
  try {
    const result = await apollo.executeOperation(
      { query: route.operation, variables: route.variables?.(restRequest) ?? {} },
      { contextValue: context },
    );
    for (const [name, value] of result.http.headers) response.setHeader(name, value);
    if (result.body.kind !== 'single') throw new Error('Incremental delivery is not used by REST routes');
    const { data, errors } = result.body.singleResult;
    if (errors?.length) return fail(failureOf(errors[0]!));
    const shaped = route.respond(data as never, restRequest);
    if (shaped.file) {
      response.setHeader('Content-Disposition', `attachment; filename="${shaped.file.filename.replace(/["\\\r\n]/g, '_')}"`);
      response.setHeader('X-Content-Type-Options', 'nosniff');
      response.type(shaped.file.contentType).send(shaped.file.content);
      return;
    }
    sendSuccess(response, route.family, context.requestId, {
      status: shaped.status ?? route.status ?? 200,
      body: shaped.body,
      pagination: shaped.pagination,
    });
  } catch (error) {
    if (error instanceof AppError) return fail({ code: error.code, message: error.message, details: error.details });
    context.logger.error({ err: error, route: `${route.method.toUpperCase()} ${route.path}` }, 'REST route failed');
    return fail({ code: 'INTERNAL_ERROR', message: 'Internal server error' });
  }
}

/** Mounts every documented REST path; each runs its GraphQL operation through the same Apollo server. */
export function restRouter(routes: readonly RestRoute[], apollo: ApolloServer<GatewayContext>): Router {
  const router = express.Router();
  for (const route of routes) {
    router[route.method](route.path, (request, response) => handle(route, apollo, request, response));
  }
  router.use(['/v1', '/api'], (request, response) => {
    sendFailure(response, familyOfPath(request.originalUrl), request.requestId, {
      code: 'NOT_FOUND',
      message: `No route for ${request.method} ${request.originalUrl.split('?')[0]}`,
    });
  });
  return router;
}

/** Malformed or oversized bodies, and anything thrown before a route answered. */
export function restErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: { type?: string; status?: number }, request, response, _next) => {
    const requestId = request.requestId;
    const family = familyOfPath(request.originalUrl);
    if (error.type === 'entity.too.large') {
      response
        .status(413)
        .json(
          family === '001'
            ? { error: { code: 'invalid_request', message: 'Request body too large' }, requestId }
            : { success: false, error: { code: 'VALIDATION_ERROR', message: 'Request body too large' }, requestId },
        );
      return;
    }
    if (error.type === 'entity.parse.failed') {
      sendFailure(response, family, requestId, { code: 'VALIDATION_ERROR', message: 'Malformed JSON body' });
      return;
    }
    logger.error({ err: error, requestId }, 'unhandled request error');
    sendFailure(response, family, requestId, { code: 'INTERNAL_ERROR', message: 'Internal server error' });
  };
}
