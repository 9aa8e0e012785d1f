import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UnauthorizedError } from '@deskgraph/errors';
import { CallerAssertions, scopesForRole, type Caller } from '../index.js';

const SECRET = 'caller-assertion-test-secret-0123';

function userCaller(overrides: Partial<Caller> = {}): Caller {
  return {
    kind: 'user',
    tenantId: randomUUID(),
    userId: randomUUID(),
    apiKeyId: null,
    sessionId: randomUUID(),
    role: 'agent',
    scopes: scopesForRole('agent'),
    ...overrides,
  };
}

async function refusal(assertions: CallerAssertions, token: string): Promise<UnauthorizedError> {
  const error = await assertions.verify(token).then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UnauthorizedError);
  return error as UnauthorizedError;
}

/** A token with the gateway's issuer and audience, signed with `secret`, carrying `payload`. */
function gatewaySigned(payload: Record<string, unknown>, secret = SECRET): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('deskgraph-gateway')
    .setAudience('deskgraph-subgraph')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(secret));
}

describe('CallerAssertions', () => {
  it.each<[string, Caller]>([
    ['a user', userCaller({ role: 'admin', scopes: scopesForRole('admin') })],
    ['an API key', userCaller({ kind: 'apiKey', userId: null, apiKeyId: randomUUID(), sessionId: null, scopes: ['read'] })],
    ['the system', userCaller({ kind: 'system', userId: null, sessionId: null, role: 'admin', scopes: scopesForRole('admin') })],
    [
      'a web-chat visitor',
      userCaller({ kind: 'visitor', userId: null, sessionId: null, role: 'customer', scopes: ['read', 'write'], customerId: randomUUID() }),
    ],
    ['a caller with an explicit null customer', userCaller({ customerId: null })],
  ])('round-trips %s unchanged', async (_name, caller) => {
    const assertions = new CallerAssertions(SECRET);
    const token = await assertions.sign(caller);
    expect(await new CallerAssertions(SECRET).verify(token)).toEqual(caller);
  });

  it('refuses an assertion signed with another secret', async () => {
    const token = await new CallerAssertions('some-other-secret-some-other-secret').sign(userCaller());
    expect((await refusal(new CallerAssertions(SECRET), token)).message).toBe('Invalid caller assertion');
  });

  it('refuses an assertion whose payload was tampered with, even after the original was verified', async () => {
    const assertions = new CallerAssertions(SECRET);
    const token = await assertions.sign(userCaller({ role: 'customer', scopes: ['read'] }));
    await assertions.verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin', scopes: ['read', 'write', 'admin'] })).toString('base64url');
    expect((await refusal(assertions, `${header}.${forged}.${signature}`)).message).toBe('Invalid caller assertion');
  });

  it('refuses a correctly signed assertion with an unknown kind, role or scope as malformed', async () => {
    const assertions = new CallerAssertions(SECRET);
    const valid = { kind: 'user', tid: randomUUID(), uid: randomUUID(), kid: null, sid: randomUUID(), role: 'agent', scopes: ['read'] };
    await expect(assertions.verify(await gatewaySigned(valid))).resolves.toMatchObject({ kind: 'user', role: 'agent' });
    for (const broken of [
      { ...valid, kind: 'robot' },
      { ...valid, role: 'root' },
      { ...valid, scopes: ['read', 'everything'] },
      { ...valid, scopes: 'read' },
      { ...valid, tid: undefined },
      { ...valid, uid: 42 },
    ]) {
      expect((await refusal(assertions, await gatewaySigned(broken))).message).toBe('Malformed caller assertion');
    }
  });

  it('carries the customer in `cid` only for callers that have one', async () => {
    const assertions = new CallerAssertions(SECRET);
    const decode = (token: string) =>
      JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(decode(await assertions.sign(userCaller()))).not.toHaveProperty('cid');
    const customerId = randomUUID();
    const visitor = userCaller({ kind: 'visitor', userId: null, sessionId: null, role: 'customer', customerId });
    expect(decode(await assertions.sign(visitor))).toMatchObject({ kind: 'visitor', cid: customerId, uid: null });
    expect(await assertions.verify(await assertions.sign(userCaller()))).not.toHaveProperty('customerId');
  });

  it('refuses a visitor assertion without a customer, with a user or key, or with another role as malformed', async () => {
    const assertions = new CallerAssertions(SECRET);
    const visitor = { kind: 'visitor', tid: randomUUID(), uid: null, kid: null, sid: null, role: 'customer', scopes: ['read', 'write'] };
    await expect(assertions.verify(await gatewaySigned({ ...visitor, cid: randomUUID() }))).resolves.toMatchObject({
      kind: 'visitor',
      role: 'customer',
    });
    for (const broken of [
      visitor,
      { ...visitor, cid: null },
      { ...visitor, cid: 42 },
      { ...visitor, cid: randomUUID(), uid: randomUUID() },
      { ...visitor, cid: randomUUID(), kid: randomUUID() },
      { ...visitor, cid: randomUUID(), role: 'agent' },
    ]) {
      expect((await refusal(assertions, await gatewaySigned(broken))).message).toBe('Malformed caller assertion');
    }
    const user = { kind: 'user', tid: randomUUID(), uid: randomUUID(), kid: null, sid: randomUUID(), role: 'agent', scopes: ['read'] };
    expect((await refusal(assertions, await gatewaySigned({ ...user, cid: 7 }))).message).toBe('Malformed caller assertion');
  });

  it('refuses an access token in place of an assertion (wrong issuer and audience)', async () => {
    const token = await new SignJWT({ kind: 'user', tid: randomUUID(), uid: null, kid: null, sid: null, role: 'admin', scopes: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('deskgraph')
      .setAudience('deskgraph-api')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET));
    expect((await refusal(new CallerAssertions(SECRET), token)).message).toBe('Invalid caller assertion');
  });

  it('signs a caller once and reuses the token; another caller gets another token', async () => {
    const assertions = new CallerAssertions(SECRET);
    const caller = userCaller();
    const first = await assertions.sign(caller);
    expect(await assertions.sign({ ...caller })).toBe(first);
    expect(await assertions.sign(userCaller())).not.toBe(first);
  });

  it('verifies a token once and answers later checks from its cache', async () => {
    const assertions = new CallerAssertions(SECRET);
    const token = await assertions.sign(userCaller());
    const first = await assertions.verify(token);
    expect(await assertions.verify(token)).toBe(first);
    expect(await new CallerAssertions(SECRET).verify(token)).not.toBe(first);
  });

  describe('with a clock', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('stops accepting a verified token from its cache once the token has expired', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
      const gateway = new CallerAssertions(SECRET);
      const subgraph = new CallerAssertions(SECRET);
      const token = await gateway.sign(userCaller());
      vi.setSystemTime(new Date('2026-01-01T00:04:50Z'));
      await expect(subgraph.verify(token)).resolves.toBeDefined();
      vi.setSystemTime(new Date('2026-01-01T00:08:00Z'));
      await refusal(subgraph, token);
    });
  });
});
