/** Settings of the identity subgraph, read from the environment by the process that hosts it. */
export interface IdentityConfig {
  /** Secret that signs access tokens (HS256). */
  jwtSecret: string;
  /** Lifetime of a session's refresh tokens. */
  refreshTokenTtlDays: number;
}
