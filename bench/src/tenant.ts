import { randomUUID } from 'node:crypto';
import { postGraphql, postRest } from './http.js';
import { delay } from './processes.js';

export const TEAM_NAMES = ['Billing', 'Onboarding', 'Escalations'] as const;
const ANALYTICS_TIMEOUT_MS = 30_000;

export interface BenchTenant {
  tenantId: string;
  userId: string;
  email: string;
  accessToken: string;
}

interface RegisterResponse {
  data: { accessToken: string; user: { id: string; tenantId: string } };
}

/**
 * Gives the benchmark query something to read, through the gateway's public API: a tenant
 * registered over REST, teams with its admin as member, and analytics' counts caught up.
 */
export async function createBenchTenant(gatewayUrl: string): Promise<BenchTenant> {
  const email = `bench-${randomUUID().slice(0, 8)}@example.com`;
  const registered = await postRest<RegisterResponse>(
    `${gatewayUrl}/api/v1/auth/register`,
    { email, password: 'correct horse battery', name: 'Bench Admin' },
    201,
  );
  const { accessToken, user } = registered.data;
  const authorization = { authorization: `Bearer ${accessToken}` };
  for (const name of TEAM_NAMES) {
    await postRest(`${gatewayUrl}/v1/teams`, { name, memberIds: [user.id] }, 201, authorization);
  }

  const deadline = Date.now() + ANALYTICS_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    const response = await postGraphql<{ tenant: { activity: { userCount: number; teamCount: number } } }>(
      `${gatewayUrl}/graphql`,
      '{ tenant { activity { userCount teamCount } } }',
      authorization,
    );
    const activity = response.body.data?.tenant.activity;
    if (activity?.userCount === 1 && activity.teamCount === TEAM_NAMES.length) {
      return { tenantId: user.tenantId, userId: user.id, email, accessToken };
    }
    last = response.text;
    await delay(200);
  }
  throw new Error(`analytics did not count the tenant's events within ${ANALYTICS_TIMEOUT_MS / 1000} s; last answer: ${last}`);
}
