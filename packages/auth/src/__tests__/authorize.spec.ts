import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthorizedError } from '@deskgraph/errors';
import { authorize, requireCaller, scopesForRole, type Caller, type Role } from '../index.js';

function caller(role: Role, overrides: Partial<Caller> = {}): Caller {
  return {
    kind: 'user',
    tenantId: randomUUID(),
    userId: randomUUID(),
    apiKeyId: null,
    sessionId: randomUUID(),
    role,
    scopes: scopesForRole(role),
    ...overrides,
  };
}

describe('authorize', () => {
  it('answers UNAUTHORIZED without a caller', () => {
    expect(() => authorize(null)).toThrow(UnauthorizedError);
    expect(() => requireCaller(null)).toThrow(UnauthorizedError);
  });

  it('lets any authenticated caller through when nothing is required', () => {
    const customer = caller('customer');
    expect(authorize(customer)).toBe(customer);
    expect(requireCaller(customer)).toBe(customer);
  });

  it('answers FORBIDDEN naming the roles when the role is not allowed', () => {
    expect(() => authorize(caller('agent'), { roles: ['admin'] })).toThrow(new ForbiddenError('Requires role admin'));
    expect(() => authorize(caller('customer'), { roles: ['admin', 'agent'] })).toThrow(new ForbiddenError('Requires role admin or agent'));
    expect(authorize(caller('agent'), { roles: ['admin', 'agent'] }).role).toBe('agent');
  });

  it('answers FORBIDDEN naming the scope when the credential lacks it', () => {
    const readOnlyKey = caller('agent', { kind: 'apiKey', userId: null, apiKeyId: randomUUID(), sessionId: null, scopes: ['read'] });
    expect(authorize(readOnlyKey, { scope: 'read' })).toBe(readOnlyKey);
    expect(() => authorize(readOnlyKey, { scope: 'write' })).toThrow(new ForbiddenError('Requires scope write'));
    expect(() => authorize(caller('agent'), { roles: ['agent'], scope: 'admin' })).toThrow(new ForbiddenError('Requires scope admin'));
  });

  it('checks the role before the scope', () => {
    const readOnlyCustomer = caller('customer', { scopes: ['read'] });
    expect(() => authorize(readOnlyCustomer, { roles: ['admin'], scope: 'admin' })).toThrow('Requires role admin');
  });

  it('treats a web-chat visitor as a customer: customer requirements pass, agent ones are FORBIDDEN', () => {
    const visitor = caller('customer', { kind: 'visitor', userId: null, sessionId: null, customerId: randomUUID() });
    expect(authorize(visitor, { roles: ['customer'], scope: 'write' })).toBe(visitor);
    expect(() => authorize(visitor, { roles: ['admin', 'agent'], scope: 'read' })).toThrow(
      new ForbiddenError('Requires role admin or agent'),
    );
  });

  it('lets the system caller through every requirement', () => {
    const system = caller('customer', { kind: 'system', userId: null, sessionId: null, scopes: [] });
    expect(authorize(system, { roles: ['admin'], scope: 'admin' })).toBe(system);
  });
});

describe('scopesForRole', () => {
  it('gives admins every scope and the other roles read and write', () => {
    expect(scopesForRole('admin')).toEqual(['read', 'write', 'admin']);
    expect(scopesForRole('agent')).toEqual(['read', 'write']);
    expect(scopesForRole('customer')).toEqual(['read', 'write']);
  });
});
