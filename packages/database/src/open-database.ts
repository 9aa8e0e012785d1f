import pg from 'pg';
import { MikroORM, PostgreSqlDriver, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { EntitySchema, MigrationObject } from '@mikro-orm/core';
import type { Logger } from '@deskgraph/runtime';
import { OutboxEventEntity } from './outbox.js';
import { ProcessedEventEntity } from './processed-event.js';
import { TenantGuard } from './tenant-scope.js';

export interface DatabaseOptions {
  url: string;
  /** The PostgreSQL schema this subgraph owns; it touches no other. */
  schema: string;
  entities: EntitySchema<any, any>[];
  migrations: MigrationObject[];
  logger: Logger;
  poolSize: number;
  /** Called with every SQL statement (tests count them). */
  onQuery?: (sql: string) => void;
}

export function ormConfig(options: DatabaseOptions): Options {
  return {
    driver: PostgreSqlDriver,
    clientUrl: options.url,
    schema: options.schema,
    entities: [...options.entities, OutboxEventEntity, ProcessedEventEntity],
    extensions: [Migrator],
    migrations: {
      migrationsList: options.migrations,
      tableName: `${options.schema}.mikro_orm_migrations`,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
    },
    subscribers: [new TenantGuard()],
    pool: { min: 0, max: options.poolSize },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    ignoreUndefinedInQuery: true,
    discovery: { warnWhenNoEntities: false },
    debug: options.onQuery ? ['query'] : false,
    logger: (message) => {
      if (options.onQuery) options.onQuery(message);
      else options.logger.debug({ orm: options.schema }, message);
    },
  };
}

/**
 * Opens the subgraph's database and brings its schema up to date. Migrations of
 * several instances starting at once are serialised with an advisory lock.
 */
export async function openDatabase(options: DatabaseOptions): Promise<MikroORM> {
  await withAdvisoryLock(options.url, `deskgraph:migrate:${options.schema}`, async (client) => {
    await client.query(`create schema if not exists "${options.schema}"`);
    const orm = await MikroORM.init(ormConfig({ ...options, poolSize: 1, onQuery: undefined }));
    try {
      await orm.getMigrator().up();
    } finally {
      await orm.close(true);
    }
  });
  return MikroORM.init(ormConfig(options));
}

async function withAdvisoryLock(url: string, name: string, work: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [name]);
    await work(client);
  } finally {
    await client.query('select pg_advisory_unlock(hashtext($1))', [name]).catch(() => undefined);
    await client.end();
  }
}
