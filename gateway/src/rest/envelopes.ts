import type { Response } from 'express';
import { assertUnreachable, type ErrorCode, type FieldError } from '@deskgraph/errors';

/** The five specification documents; each REST path answers in its own document's shape. */
export type DocumentFamily = '000' | '001' | '002' | '003' | '004';

/** The 000 document's page-numbered pagination block. */
export interface PagePagination {
  page: number;
  pageSize: number;
  totalItems: number;
  totalPages: number;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** Cursor paging (timelines), where page numbers make no sense. */
export interface CursorPagination {
  hasNextPage: boolean;
  nextCursor: string | null;
}

export interface RestSuccess {
  status: number;
  /** The document-shaped payload: `data` for 000/002/004, the whole body for 001 and 003. */
  body: unknown;
  pagination?: PagePagination | CursorPagination | undefined;
}

export interface RestFailure {
  code: ErrorCode;
  message: string;
  details?: FieldError[] | undefined;
}

export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_ERROR':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'RATE_LIMITED':
      return 429;
    case 'INTERNAL_ERROR':
      return 500;
    case 'CHANNEL_ERROR':
    case 'AI_ERROR':
      return 502;
    case 'SERVICE_UNAVAILABLE':
      return 503;
    default:
      return assertUnreachable(code);
  }
}

/** The 001 document's lower-case error codes. */
export function aiPlatformCodeOf(code: ErrorCode): string {
  switch (code) {
    case 'UNAUTHORIZED':
      return 'authentication_error';
    case 'FORBIDDEN':
      return 'authorization_error';
    case 'VALIDATION_ERROR':
      return 'invalid_request';
    case 'NOT_FOUND':
      return 'resource_not_found';
    case 'RATE_LIMITED':
      return 'rate_limit_exceeded';
    case 'SERVICE_UNAVAILABLE':
      return 'service_unavailable';
    case 'INTERNAL_ERROR':
      return 'internal_error';
    case 'CONFLICT':
      return 'conflict';
    case 'CHANNEL_ERROR':
      return 'channel_error';
    case 'AI_ERROR':
      return 'ai_error';
    default:
      return assertUnreachable(code);
  }
}

function meta(requestId: string) {
  return { requestId, timestamp: new Date().toISOString() };
}

/** Writes a success in the document's envelope. */
export function sendSuccess(response: Response, family: DocumentFamily, requestId: string, result: RestSuccess): void {
  response.status(result.status);
  if (result.status === 204) {
    response.end();
    return;
  }
  switch (family) {
    case '000':
    case '002':
    case '004':
      response.json({
        success: true,
        data: result.body,
        ...(result.pagination ? { pagination: result.pagination } : {}),
        meta: meta(requestId),
      });
      return;
    case '001':
      response.json(result.body);
      return;
    case '003':
      response.json({ success: true, ...(result.body as object) });
      return;
    default:
      assertUnreachable(family);
  }
}

/** Writes an error in the document's envelope, with the status its code maps to. */
export function sendFailure(response: Response, family: DocumentFamily, requestId: string, failure: RestFailure): void {
  response.status(httpStatusOf(failure.code));
  switch (family) {
    case '000':
    case '002':
    case '004':
      response.json({
        success: false,
        error: { code: failure.code, message: failure.message, ...(failure.details ? { details: failure.details } : {}) },
        meta: meta(requestId),
      });
      return;
    case '001':
      response.json({
        error: { code: aiPlatformCodeOf(failure.code), message: failure.message, ...(failure.details ? { details: failure.details } : {}) },
        requestId,
      });
      return;
    case '003':
      // The 003 document's error is a bare message; code, details and request id are added, never renamed.
      response.json({
        success: false,
        error: failure.message,
        code: failure.code,
        ...(failure.details ? { details: failure.details } : {}),
        requestId,
      });
      return;
    default:
      assertUnreachable(family);
  }
}

/** Which document a path belongs to, for requests that fail before a route is matched. */
export function familyOfPath(path: string): DocumentFamily {
  if (path.startsWith('/v1/')) return '000';
  if (/^\/api\/(core|memory|channels|admin)\//.test(path)) return '001';
  if (path.startsWith('/api/v1/')) return '004';
  return '003';
}
