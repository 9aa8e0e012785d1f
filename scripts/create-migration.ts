/**
 * Writes a migration for one subgraph: the difference between its committed migrations
 * and its entities. Usage: pnpm migration:create <subgraph>
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from '@deskgraph/database';
import { createLogger } from '@deskgraph/runtime';
import { createTestDatabase } from '@deskgraph/testing';

const name = process.argv[2];
if (!name) throw new Error('usage: pnpm migration:create <subgraph>');
const root = fileURLToPath(new URL('..', import.meta.url));
const folder = join(root, 'subgraphs', name, 'src', 'migrations');
const { entities } = (await import(join(root, 'subgraphs', name, 'src', 'entities.ts'))) as { entities: never[] };
const { migrations } = (await import(join(folder, 'index.ts'))) as { migrations: never[] };

const database = await createTestDatabase('dg_migrate');
const logger = createLogger({ name: 'migration', level: 'warn' });
try {
  const orm = await MikroORM.init({
    ...ormConfig({ url: database.url, schema: name, entities, migrations, logger, poolSize: 1 }),
    migrations: { ...ormConfig({ url: database.url, schema: name, entities, migrations, logger, poolSize: 1 }).migrations, path: folder },
  });
  await orm.em.getConnection().execute(`create schema if not exists "${name}"`);
  await orm.getMigrator().up();
  const result = await orm.getMigrator().createMigration(folder, false, false);
  await orm.close();
  if (!result.fileName) {
    console.log(`${name}: entities and migrations agree; nothing to write`);
  } else {
    const files = readdirSync(folder)
      .filter((file) => /^Migration\d+.*\.ts$/.test(file))
      .sort();
    const names = files.map((file) => file.replace(/\.ts$/, ''));
    writeFileSync(
      join(folder, 'index.ts'),
      [
        "import type { MigrationObject } from '@mikro-orm/core';",
        ...names.map((migration) => `import { ${migration} } from './${migration}.js';`),
        '',
        '/** Every migration of this subgraph, oldest first (written by `pnpm migration:create`). */',
        'export const migrations: MigrationObject[] = [',
        ...names.map((migration) => `  { name: '${migration}', class: ${migration} },`),
        '];',
        '',
      ].join('\n'),
    );
    console.log(`${name}: wrote ${result.fileName}`);
  }
} finally {
  await database.drop();
}
