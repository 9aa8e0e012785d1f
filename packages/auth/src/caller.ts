export const roles = ['admin', 'agent', 'customer'] as const;
export type Role = (typeof roles)[number];

/** What a credential may do: read data, change data, administer the tenant. */
export const scopes = ['read', 'write', 'admin'] as const;
export type Scope = (typeof scopes)[number];

/** How a caller was established. */
export const callerKinds = ['user', 'apiKey', 'system', 'visitor'] as const;
export type CallerKind = (typeof callerKinds)[number];

/**
 * Who is calling, as established at the edge and verified again by each subgraph.
 * `system` is the gateway itself (health checks, API key lookups); `visitor` is an anonymous
 * web-chat visitor admitted by a chat widget token (role customer, no user, a customer record).
 */
export interface Caller {
  kind: CallerKind;
  tenantId: string;
  userId: string | null;
  apiKeyId: string | null;
  /** The refresh-token family of a user's session; null for API keys and the system. */
  sessionId: string | null;
  role: Role;
  scopes: Scope[];
  /** The support customer record the caller acts as: web-chat visitors. Other callers leave it out. */
  customerId?: string | null;
}

export function scopesForRole(role: Role): Scope[] {
  switch (role) {
    case 'admin':
      return ['read', 'write', 'admin'];
    case 'agent':
    case 'customer':
      return ['read', 'write'];
  }
}
