import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AppError,
  ConflictError,
  ErrorCode,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  ServiceUnavailableError,
  UnauthorizedError,
  ValidationError,
  assertUnreachable,
  errorCodes,
  fieldErrorsFromZod,
  isErrorCode,
  parseInput,
} from '../index.js';

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('parseInput', () => {
  const schema = z.object({
    email: z.email(),
    age: z.number().int().min(18),
    address: z.object({ city: z.string().min(1), zip: z.string().regex(/^\d{5}$/) }),
    tags: z.array(z.string().max(3)),
  });

  it('returns the parsed data when the input is valid', () => {
    const input = { email: 'a@example.com', age: 30, address: { city: 'Berlin', zip: '10115' }, tags: ['a'] };
    expect(parseInput(schema, input)).toEqual(input);
  });

  it('reports every invalid field at once, with dotted paths into nested objects and arrays', () => {
    const error = caught(() =>
      parseInput(schema, { email: 'nope', age: 12, address: { city: '', zip: 'x' }, tags: ['ok', 'too long'] }),
    ) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.message).toBe('Invalid request data');
    expect(error.details?.map((detail) => detail.field).sort()).toEqual(['address.city', 'address.zip', 'age', 'email', 'tags.1']);
    for (const detail of error.details ?? []) expect(detail.message).not.toBe('');
  });

  it('names the root when the input itself has the wrong type', () => {
    const error = caught(() => parseInput(schema, 'a string')) as ValidationError;
    expect(error.details).toEqual([{ field: '(root)', message: expect.any(String) }]);
  });

  it('keeps custom messages of refinements on their path', () => {
    const refined = z
      .object({ start: z.string(), end: z.string() })
      .refine((value) => value.start < value.end, { message: 'end must be after start', path: ['end'] });
    const error = caught(() => parseInput(refined, { start: '10:00', end: '09:00' })) as ValidationError;
    expect(error.details).toEqual([{ field: 'end', message: 'end must be after start' }]);
  });

  it('maps zod issues one to one in fieldErrorsFromZod', () => {
    const result = z.object({ a: z.string(), b: z.number() }).safeParse({ a: 1, b: 'x' });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(fieldErrorsFromZod(result.error).map((detail) => detail.field)).toEqual(['a', 'b']);
  });
});

describe('AppError family', () => {
  it.each([
    [new ValidationError([{ field: 'name', message: 'is required' }]), 'VALIDATION_ERROR', 'Invalid request data'],
    [new NotFoundError('User', 'abc'), 'NOT_FOUND', 'User abc was not found'],
    [new NotFoundError('Session'), 'NOT_FOUND', 'Session was not found'],
    [new ForbiddenError(), 'FORBIDDEN', 'Insufficient permissions'],
    [new UnauthorizedError(), 'UNAUTHORIZED', 'Invalid or missing authentication'],
    [new ConflictError('Taken'), 'CONFLICT', 'Taken'],
    [new RateLimitedError(12), 'RATE_LIMITED', 'Too many requests'],
    [new ServiceUnavailableError(), 'SERVICE_UNAVAILABLE', 'Downstream service unavailable'],
  ] as const)('%s carries code %s and message %s', (error, code, message) => {
    expect(error).toBeInstanceOf(AppError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.name).toBe(error.constructor.name);
  });

  it('keeps field details on a validation error and none on the others', () => {
    expect(new ValidationError([{ field: 'email', message: 'bad' }]).details).toEqual([{ field: 'email', message: 'bad' }]);
    expect(new ConflictError('Taken').details).toBeUndefined();
  });

  it('remembers how long a rate-limited caller should wait', () => {
    expect(new RateLimitedError(42).retryAfterSeconds).toBe(42);
  });
});

describe('error codes', () => {
  it('recognises exactly the documented codes', () => {
    for (const code of errorCodes) expect(isErrorCode(code)).toBe(true);
    expect(isErrorCode('INTERNAL_SERVER_ERROR')).toBe(false);
    expect(isErrorCode('validation_error')).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
    expect(isErrorCode(404)).toBe(false);
  });

  it('exposes every code as a constant of the same name', () => {
    expect(Object.keys(ErrorCode).sort()).toEqual([...errorCodes].sort());
    expect(ErrorCode.CONFLICT).toBe('CONFLICT');
  });

  it('assertUnreachable throws naming the unexpected value', () => {
    expect(() => assertUnreachable('SURPRISE' as never)).toThrow('Unhandled case: SURPRISE');
  });
});
