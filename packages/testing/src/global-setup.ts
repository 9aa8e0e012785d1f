import pg from 'pg';
import { testEnvironment } from './environment.js';

const STALE_AFTER_MS = 60 * 60 * 1000;

/**
 * Before a test run: drops test databases left behind by runs that were killed
 * (their names carry their creation time), so the server does not fill up.
 */
export default async function dropStaleTestDatabases(): Promise<void> {
  const client = new pg.Client({ connectionString: testEnvironment.databaseServerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`select datname from pg_database where datname ~ '^dg_(test|migrate)_'`);
    for (const { datname } of rows) {
      const created = parseInt(datname.split('_')[2] ?? '', 36);
      if (Number.isFinite(created) && Date.now() - created > STALE_AFTER_MS) {
        await client.query(`drop database if exists "${datname}" with (force)`);
      }
    }
  } finally {
    await client.end();
  }
}
