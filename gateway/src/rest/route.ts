import type { Caller } from '@deskgraph/auth';
import type { CursorPagination, DocumentFamily, PagePagination } from './envelopes.js';

export interface RestRequest {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  caller: Caller | null;
}

export interface RestResult {
  body: unknown;
  pagination?: PagePagination | CursorPagination;
  /** Overrides the route's success status. */
  status?: number;
  /** A file to send as it is, instead of a JSON envelope (downloads). */
  file?: { contentType: string; filename: string; content: Buffer };
}

/**
 * One documented REST path, declared as data: the GraphQL operation it runs, how the
 * request maps onto the operation's variables, and how the result maps onto the document's shape.
 */
export interface RestRoute<TData = any> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express path, e.g. `/v1/users/:id`. */
  path: string;
  family: DocumentFamily;
  /** Answers without credentials (sign-in, registration, token refresh). */
  public?: boolean;
  /** One GraphQL operation against the supergraph. */
  operation: string;
  variables?: (request: RestRequest) => Record<string, unknown>;
  /** Shapes the operation's data; may throw a domain error (e.g. NotFoundError for a null). */
  respond: (data: TData, request: RestRequest) => RestResult;
  /** Success status; 200 unless given. */
  status?: number;
}

/** Declares a route; the generic types the operation's data for `respond`. */
export function route<TData>(definition: RestRoute<TData>): RestRoute<TData> {
  return definition;
}
