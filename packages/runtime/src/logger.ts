import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout; the request id travels in child loggers' bindings. */
export function createLogger(options: { name: string; level: string }): Logger {
  return pino({
    name: options.name,
    level: options.level,
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', '*.password', '*.refreshToken'],
      censor: '[redacted]',
    },
  });
}
