export const roles = ['admin', 'agent', 'customer'] as const;
export type Role = (typeof roles)[number];

/** What a credential may do: read data, change data, administer the tenant. */
export const scopes = ['read', 'write', 'admin'] as const;
export type Scope = (typeof scopes)[number];

/**
 * Who is calling, as established at the edge and verified again by each subgraph.
 * `system` is the gateway itself (health checks, API key lookups).
 */
export interface Caller {
  kind: 'user' | 'apiKey' | 'system';
  tenantId: string;
  userId: string | null;
  apiKeyId: string | null;
  /** The refresh-token family of a user's session; null for API keys and the system. */
  sessionId: string | null;
  role: Role;
  scopes: Scope[];
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
