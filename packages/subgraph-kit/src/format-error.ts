import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError, isErrorCode } from '@deskgraph/errors';
import type { Logger } from '@deskgraph/runtime';

/**
 * The GraphQL edge of a subgraph: a domain error keeps its code, message and field
 * details; anything else is logged with the request id and answered as INTERNAL_ERROR.
 */
export function formatSubgraphError(error: GraphQLError, logger: Logger, requestId: string): GraphQLFormattedError {
  const original = error.originalError;
  if (original instanceof AppError) {
    return {
      message: original.message,
      path: error.path,
      locations: error.locations,
      extensions: { code: original.code, ...(original.details ? { details: original.details } : {}) },
    };
  }
  if (!original || original instanceof GraphQLError) {
    // graphql-js validation and coercion errors describe the request: safe to show.
    const code = error.extensions?.code;
    return {
      message: error.message,
      path: error.path,
      locations: error.locations,
      extensions: { code: isErrorCode(code) ? code : 'VALIDATION_ERROR' },
    };
  }
  logger.error({ err: original, requestId, path: error.path }, 'unexpected error in resolver');
  return {
    message: 'Internal server error',
    path: error.path,
    locations: error.locations,
    extensions: { code: 'INTERNAL_ERROR', requestId },
  };
}
