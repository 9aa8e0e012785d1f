/** The error codes of the 000 document's table; every edge speaks these. */
export const errorCodes = [
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION_ERROR',
  'CONFLICT',
  'RATE_LIMITED',
  'INTERNAL_ERROR',
  'SERVICE_UNAVAILABLE',
  'CHANNEL_ERROR',
  'AI_ERROR',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export const ErrorCode = Object.fromEntries(errorCodes.map((code) => [code, code])) as {
  readonly [K in ErrorCode]: K;
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}
