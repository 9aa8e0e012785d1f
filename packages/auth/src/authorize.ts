import { ForbiddenError, UnauthorizedError } from '@deskgraph/errors';
import type { Caller, Role, Scope } from './caller.js';

export interface Requirement {
  /** Roles allowed; omitted means any authenticated role. */
  roles?: readonly Role[];
  /** Scope the credential must carry. */
  scope?: Scope;
}

export function requireCaller(caller: Caller | null): Caller {
  if (!caller) throw new UnauthorizedError();
  return caller;
}

/** Throws UNAUTHORIZED without a caller, FORBIDDEN when role or scope is missing. */
export function authorize(caller: Caller | null, requirement: Requirement = {}): Caller {
  const known = requireCaller(caller);
  if (known.kind === 'system') return known;
  if (requirement.roles && !requirement.roles.includes(known.role)) {
    throw new ForbiddenError(`Requires role ${requirement.roles.join(' or ')}`);
  }
  if (requirement.scope && !known.scopes.includes(requirement.scope)) {
    throw new ForbiddenError(`Requires scope ${requirement.scope}`);
  }
  return known;
}
