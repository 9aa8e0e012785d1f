/** The only place the test helpers read the environment. */
export const testEnvironment = {
  /** The real PostgreSQL server tests create their databases on. */
  databaseServerUrl: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  /** The real Redis tests use. */
  redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  /** Log level of code under test; silent unless debugging. */
  logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
};
