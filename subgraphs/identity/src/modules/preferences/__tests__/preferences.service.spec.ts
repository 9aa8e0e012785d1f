import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useIdentitySubgraph } from '../../users/__tests__/identity-harness.js';

const { data, failure, registerTenant, addUser, identity } = useIdentitySubgraph();

const FIELDS = 'notifications { email inApp desktop } theme language timezone';
const GET = `{ preferences { ${FIELDS} } }`;
const UPDATE = `mutation ($input: UpdatePreferencesInput!) { updatePreferences(input: $input) { ${FIELDS} } }`;
const DEFAULTS = { notifications: { email: true, inApp: true, desktop: false }, theme: 'SYSTEM', language: 'en', timezone: 'UTC' };

describe('preferences', () => {
  it('answers the defaults until the user changes something', async () => {
    const admin = await registerTenant();
    expect((await data(GET, {}, admin.token)).preferences).toEqual(DEFAULTS);
  });

  it('changes only the given settings and keeps them', async () => {
    const admin = await registerTenant();
    const first = (await data(UPDATE, { input: { theme: 'DARK', notifications: { desktop: true } } }, admin.token)).updatePreferences;
    expect(first).toEqual({ ...DEFAULTS, theme: 'DARK', notifications: { email: true, inApp: true, desktop: true } });

    const second = (
      await data(UPDATE, { input: { timezone: 'Europe/Vienna', language: 'de-AT', notifications: { email: false } } }, admin.token)
    ).updatePreferences;
    const expected = {
      notifications: { email: false, inApp: true, desktop: true },
      theme: 'DARK',
      language: 'de-AT',
      timezone: 'Europe/Vienna',
    };
    expect(second).toEqual(expected);
    expect((await data(GET, {}, admin.token)).preferences).toEqual(expected);
  });

  it('treats null as “leave unchanged”', async () => {
    const admin = await registerTenant();
    await data(UPDATE, { input: { theme: 'LIGHT' } }, admin.token);
    const { updatePreferences } = await data(UPDATE, { input: { theme: null, notifications: null, timezone: null } }, admin.token);
    expect(updatePreferences).toEqual({ ...DEFAULTS, theme: 'LIGHT' });
  });

  it('keeps each user’s preferences to that user', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    await data(UPDATE, { input: { theme: 'DARK' } }, agent.token);
    expect((await data(GET, {}, admin.token)).preferences).toEqual(DEFAULTS);
    expect((await data(GET, {}, agent.token)).preferences.theme).toBe('DARK');
  });

  it('refuses a bad time zone with VALIDATION_ERROR on timezone, and changes nothing', async () => {
    const admin = await registerTenant();
    expect(await failure(UPDATE, { input: { timezone: 'Mars/Olympus', theme: 'DARK' } }, admin.token)).toEqual({
      message: 'Invalid request data',
      code: 'VALIDATION_ERROR',
      details: [{ field: 'timezone', message: 'must be an IANA time zone, e.g. America/New_York' }],
    });
    expect((await data(GET, {}, admin.token)).preferences).toEqual(DEFAULTS);
  });

  it('reports a bad language and a bad time zone together', async () => {
    const admin = await registerTenant();
    const result = await failure(UPDATE, { input: { timezone: 'Nowhere', language: 'english!' } }, admin.token);
    expect(result.details?.map((detail) => detail.field).sort()).toEqual(['language', 'timezone']);
  });

  it('refuses an unknown theme before it reaches the service', async () => {
    const admin = await registerTenant();
    expect(await failure(UPDATE, { input: { theme: 'NEON' } }, admin.token)).toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('has no preferences for an API key, and none without a caller', async () => {
    const { token } = await identity().caller({ kind: 'apiKey', userId: null, apiKeyId: randomUUID(), sessionId: null });
    expect(await failure(GET, {}, token)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await failure(UPDATE, { input: { theme: 'DARK' } }, token)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await failure(GET, {}, null)).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
