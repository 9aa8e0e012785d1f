import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntitySchema, MigrationObject } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { openDatabase } from '@deskgraph/database';
import { createLogger } from '@deskgraph/runtime';
import { subgraphNames, type SubgraphName } from '@deskgraph/subgraph-kit';
import { createTestDatabase, testEnvironment, type TestDatabase } from '@deskgraph/testing';
import { entities as analyticsEntities } from '../subgraphs/analytics/src/entities.js';
import { migrations as analyticsMigrations } from '../subgraphs/analytics/src/migrations/index.js';
import { entities as campaignsEntities } from '../subgraphs/campaigns/src/entities.js';
import { migrations as campaignsMigrations } from '../subgraphs/campaigns/src/migrations/index.js';
import { entities as identityEntities } from '../subgraphs/identity/src/entities.js';
import { migrations as identityMigrations } from '../subgraphs/identity/src/migrations/index.js';
import { entities as knowledgeEntities } from '../subgraphs/knowledge/src/entities.js';
import { migrations as knowledgeMigrations } from '../subgraphs/knowledge/src/migrations/index.js';
import { entities as resolutionsEntities } from '../subgraphs/resolutions/src/entities.js';
import { migrations as resolutionsMigrations } from '../subgraphs/resolutions/src/migrations/index.js';
import { entities as supportEntities } from '../subgraphs/support/src/entities.js';
import { migrations as supportMigrations } from '../subgraphs/support/src/migrations/index.js';

/** Every subgraph's entities and committed migrations; a new subgraph name fails the type check here. */
const schemas: Record<SubgraphName, { entities: EntitySchema<any, any>[]; migrations: MigrationObject[] }> = {
  identity: { entities: identityEntities, migrations: identityMigrations },
  support: { entities: supportEntities, migrations: supportMigrations },
  resolutions: { entities: resolutionsEntities, migrations: resolutionsMigrations },
  campaigns: { entities: campaignsEntities, migrations: campaignsMigrations },
  knowledge: { entities: knowledgeEntities, migrations: knowledgeMigrations },
  analytics: { entities: analyticsEntities, migrations: analyticsMigrations },
};

const logger = createLogger({ name: 'migrations-test', level: testEnvironment.logLevel });

describe.each(subgraphNames.map((name) => [name]))('%s migrations', (name) => {
  let database: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    database = await createTestDatabase();
    orm = await openDatabase({ url: database.url, schema: name, ...schemas[name], logger, poolSize: 1 });
  });
  afterAll(async () => {
    await orm?.close(true);
    await database?.drop();
  });

  it('apply on a fresh database and leave nothing for the entities to change', async () => {
    expect(await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false })).toBe('');
  });
});

describe('the migrations check', () => {
  let database: TestDatabase;
  let orm: MikroORM;

  beforeAll(async () => {
    database = await createTestDatabase();
    orm = await openDatabase({ url: database.url, schema: 'identity', ...schemas.identity, logger, poolSize: 1 });
  });
  afterAll(async () => {
    await orm?.close(true);
    await database?.drop();
  });

  it('notices a database that lacks what the entities declare', async () => {
    await orm.em
      .getConnection()
      .execute('alter table "identity"."users" drop column "phone"; drop index "identity"."users_tenant_created_idx"');
    const difference = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(difference).toContain('add column "phone"');
    expect(difference).toContain('users_tenant_created_idx');
  });
});
