import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useIdentitySubgraph } from '../../users/__tests__/identity-harness.js';

const { data, failure, registerTenant, addUser } = useIdentitySubgraph();

const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Tenant { id name } } }`;

describe('tenants', () => {
  it('answers the caller’s own tenant', async () => {
    const admin = await registerTenant('Analytical Engines');
    const agent = await addUser(admin, 'agent');
    const { tenant } = await data(`{ tenant { id name createdAt } }`, {}, agent.token);
    expect(tenant).toMatchObject({ id: admin.tenantId, name: 'Analytical Engines' });
    expect(Date.parse(tenant.createdAt)).toBeLessThanOrEqual(Date.now());
  });

  it('needs a caller', async () => {
    expect(await failure(`{ tenant { id } }`, {}, null)).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('resolves only the caller’s own tenant through _entities; other and unknown ids are null', async () => {
    const alpha = await registerTenant('Alpha');
    const beta = await registerTenant('Beta');
    const { _entities } = await data(
      ENTITIES,
      {
        representations: [
          { __typename: 'Tenant', id: beta.tenantId },
          { __typename: 'Tenant', id: alpha.tenantId },
          { __typename: 'Tenant', id: randomUUID() },
        ],
      },
      alpha.token,
    );
    expect(_entities).toEqual([null, { id: alpha.tenantId, name: 'Alpha' }, null]);
  });

  it('resolves the tenant of a user', async () => {
    const admin = await registerTenant('Gamma');
    const { me } = await data(`{ me { tenant { id name } } }`, {}, admin.token);
    expect(me.tenant).toEqual({ id: admin.tenantId, name: 'Gamma' });
  });
});
