import type { ErrorCode } from './codes.js';

/** One invalid input field: `field` is a dotted path into the input. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * The base of every error the domain throws on purpose. Edges translate `code`
 * into their own shape; anything that is not an AppError is an INTERNAL_ERROR.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: FieldError[] | undefined;

  constructor(code: ErrorCode, message: string, details?: FieldError[]) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

export class ValidationError extends AppError {
  constructor(details: FieldError[], message = 'Invalid request data') {
    super('VALIDATION_ERROR', message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(resource: string, id?: string) {
    super('NOT_FOUND', id ? `${resource} ${id} was not found` : `${resource} was not found`);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Insufficient permissions') {
    super('FORBIDDEN', message);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Invalid or missing authentication') {
    super('UNAUTHORIZED', message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', 'Too many requests');
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message = 'Downstream service unavailable') {
    super('SERVICE_UNAVAILABLE', message);
  }
}
