import type { GraphQLFormattedError } from 'graphql';
import { isErrorCode, type FieldError } from '@deskgraph/errors';

/** Apollo's own codes for a bad request; clients see them as VALIDATION_ERROR. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** graphql-js explains a bad variable in prose; this recovers which field is at fault (`input.tags.1`). */
export function variableErrorDetails(message: string): FieldError[] | undefined {
  const match = /^Variable "\$(\w+)" (.*)$/s.exec(message);
  if (!match) return undefined;
  const [, variable = 'variables', rest = ''] = match;
  if (/^of required type .* was not provided\.$/.test(rest)) return [{ field: variable, message: 'is required' }];
  const at = /^got invalid value .*? at "([^"]+)"; (.*)$/s.exec(rest);
  const path = (at?.[1] ?? variable).replace(/\[(\d+)\]/g, '.$1');
  const reason = at?.[2] ?? /^got invalid value .*?; (.*)$/s.exec(rest)?.[1] ?? rest;
  const missing = /^Field "(\w+)" of required type .* was not provided\.$/.exec(reason);
  if (missing) return [{ field: `${path}.${missing[1]}`, message: 'is required' }];
  return [{ field: path, message: reason }];
}

/**
 * The gateway's GraphQL edge: every error leaves with one of the documented codes.
 * Domain errors from subgraphs keep code, message and details; request errors become
 * VALIDATION_ERROR; anything else is INTERNAL_ERROR without internals (the request id is
 * added by the error plugin, which also logs the original).
 */
export function formatGatewayError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (isErrorCode(code)) {
    const extensions: Record<string, unknown> = { code };
    if (formatted.extensions?.details) extensions.details = formatted.extensions.details;
    if (code === 'INTERNAL_ERROR') {
      return { message: 'Internal server error', path: formatted.path, extensions: { code, requestId: formatted.extensions?.requestId } };
    }
    return { ...base, extensions };
  }
  if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
    const details = code === 'BAD_USER_INPUT' ? variableErrorDetails(formatted.message) : undefined;
    return { ...base, extensions: { code: 'VALIDATION_ERROR', ...(details ? { details } : {}) } };
  }
  return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_ERROR' } };
}
