export { parseEnvironment, booleanFromString } from './environment-schema.js';
export { createLogger, type Logger } from './logger.js';
export { localSecret } from './local-secret.js';
export { handleShutdownSignals } from './shutdown.js';
