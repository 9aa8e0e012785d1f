export { ErrorCode, errorCodes, isErrorCode } from './codes.js';
export type { FieldError } from './app-error.js';
export {
  AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  ServiceUnavailableError,
  UnauthorizedError,
  ValidationError,
} from './app-error.js';
export { assertUnreachable } from './assert-unreachable.js';
export { parseInput, fieldErrorsFromZod } from './validate.js';
