import { postGraphql } from './http.js';
import type { LoadTarget } from './load.js';
import type { ScenarioTarget } from './scenarios.js';
import { TEAM_NAMES, type BenchTenant } from './tenant.js';

interface BenchData {
  me?: { id?: string; email?: string; displayName?: string; teams?: { id?: string; name?: string }[] };
  tenant?: { id?: string; name?: string; activity?: { userCount?: number; teamCount?: number } };
}

/**
 * Sends the query twice and checks the answer: HTTP 200, no errors, the tenant's data. Returns
 * the load target with that exact body expected, so every measured response is checked too.
 */
export async function probe(target: ScenarioTarget, tenant: BenchTenant): Promise<LoadTarget> {
  const headers = await target.headers();
  const first = await postGraphql<BenchData>(target.url, target.query, headers);
  const problem = checkAnswer(first.status, first.body, target, tenant);
  if (problem) throw new Error(`the probe request failed: ${problem}\n${first.text}`);
  const second = await postGraphql<BenchData>(target.url, target.query, headers);
  if (second.text !== first.text) {
    throw new Error(`the answer is not stable, so bodies cannot be compared:\n${first.text}\n${second.text}`);
  }
  return { url: target.url, headers, body: JSON.stringify({ query: target.query }), expectedBody: first.text };
}

/** After the load: the server still gives the very same answer. */
export async function probeAgain(target: LoadTarget): Promise<void> {
  let status: number;
  let text: string;
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...target.headers },
      body: target.body,
      signal: AbortSignal.timeout(10_000),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    throw new Error('after the load the server did not answer', { cause: error });
  }
  if (status !== 200 || text !== target.expectedBody) {
    throw new Error(`after the load the answer changed (HTTP ${status}):\n${text}`);
  }
}

function checkAnswer(status: number, body: { data?: BenchData | null; errors?: unknown[] }, target: ScenarioTarget, tenant: BenchTenant) {
  if (status !== 200) return `HTTP ${status}`;
  if (body.errors?.length) return 'the answer has errors';
  const { me, tenant: answeredTenant } = body.data ?? {};
  if (me?.id !== tenant.userId || me.email !== tenant.email || !me.displayName) return 'me is not the registered admin';
  const teamNames = (me.teams ?? []).map((team) => team.name).sort();
  if (JSON.stringify(teamNames) !== JSON.stringify([...TEAM_NAMES].sort())) return `me.teams is ${JSON.stringify(teamNames)}`;
  if (answeredTenant?.id !== tenant.tenantId || !answeredTenant.name) return 'tenant is not the registered one';
  if (target.withActivity) {
    const activity = answeredTenant.activity;
    if (activity?.userCount !== 1 || activity.teamCount !== TEAM_NAMES.length) return 'tenant.activity does not count the setup';
  }
  return null;
}
