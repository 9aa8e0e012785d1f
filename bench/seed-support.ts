/**
 * `pnpm seed:support --tenant <id> [--agent <user id>] [--customers 100000] [--database-url postgres://…]`
 *
 * Generates the support benchmark's data for an existing tenant of a database the gateway has
 * migrated (DATABASE_URL unless --database-url): customers with identities, organizations,
 * 2 conversations per customer and 5 messages per conversation, plus a second tenant with
 * a little data (--other-tenant, a new id unless given; --other-customers 0 leaves it out).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { seedDatabaseUrl } from './src/environment.js';
import { OTHER_TENANT_CUSTOMERS, SEEDED_TABLES, seedSupport, type TenantSeed } from './src/support-seed.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function usage(problem: string): never {
  console.error(`${problem}

usage: pnpm seed:support --tenant <tenant id> [--agent <user id>] [--customers <n>] [--other-tenant <tenant id>]
                         [--other-customers <n>] [--database-url <postgres url>]`);
  process.exit(2);
}

function count(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > 1_000_000) usage(`--${name} must be an integer from ${min} to 1000000`);
  return value;
}

/** The tenant's first admin, when the identity schema has one: conversations get assigned to a real user. */
async function firstAdmin(databaseUrl: string, tenantId: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `select id::text from identity.users where tenant_id = $1 and role = 'admin' order by created_at limit 1`,
      [tenantId],
    );
    return rows[0]?.id ?? null;
  } catch {
    return null; // No identity schema in this database.
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tenant: { type: 'string' },
      agent: { type: 'string' },
      customers: { type: 'string' },
      'other-tenant': { type: 'string' },
      'other-customers': { type: 'string' },
      'database-url': { type: 'string' },
    },
  });
  const databaseUrl = values['database-url'] ?? seedDatabaseUrl();
  if (!databaseUrl) usage('give --database-url or set DATABASE_URL');
  if (!values.tenant || !UUID.test(values.tenant)) usage('--tenant must be the id (UUID) of a tenant');
  if (values.agent && !UUID.test(values.agent)) usage('--agent must be the id (UUID) of a user of the tenant');
  const otherTenant = values['other-tenant'] ?? randomUUID();
  if (!UUID.test(otherTenant)) usage('--other-tenant must be a UUID');

  const agentId = values.agent ?? (await firstAdmin(databaseUrl, values.tenant));
  if (!agentId) console.warn('No --agent and no admin of the tenant in identity.users: no conversation is assigned.');
  const tenant: TenantSeed = { tenantId: values.tenant, agentId, customers: count('customers', values.customers, 100_000, 1) };
  const otherCustomers = count('other-customers', values['other-customers'], OTHER_TENANT_CUSTOMERS, 0);
  const others: TenantSeed[] = otherCustomers > 0 ? [{ tenantId: otherTenant, agentId: null, customers: otherCustomers }] : [];

  console.log(
    `Seeding ${tenant.customers} customers for tenant ${tenant.tenantId}${others.length ? ` and ${otherCustomers} for ${otherTenant}` : ''}`,
  );
  const report = await seedSupport(databaseUrl, tenant, others);
  for (const table of SEEDED_TABLES) {
    console.log(
      `  ${table.padEnd(20)} ${String(report.rows[table]).padStart(9)} rows (all tenants ${report.totalRows[table]}), ${(report.tableBytes[table] / 1024 ** 2).toFixed(1)} MiB with indexes`,
    );
  }
  for (const timing of report.timings) console.log(`  ${timing.step.padEnd(20)} ${timing.seconds.toFixed(1)} s`);
  console.log(`Done in ${report.seconds.toFixed(1)} s.`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
