import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122103843 } from './Migration20261122103843.js';
import { Migration20261122130027 } from './Migration20261122130027.js';

/** Every migration of this subgraph, oldest first (written by `pnpm migration:create`). */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261122103843', class: Migration20261122103843 },
  { name: 'Migration20261122130027', class: Migration20261122130027 },
];
