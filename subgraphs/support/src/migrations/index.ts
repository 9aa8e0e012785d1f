import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122104552 } from './Migration20261122104552.js';
import { Migration20261122115034 } from './Migration20261122115034.js';
import { Migration20261122130117 } from './Migration20261122130117.js';
import { Migration20261122141525 } from './Migration20261122141525.js';
import { Migration20261122142228 } from './Migration20261122142228.js';
import { Migration20261122152736 } from './Migration20261122152736.js';

/** Every migration of this subgraph, oldest first (written by `pnpm migration:create`). */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261122104552', class: Migration20261122104552 },
  { name: 'Migration20261122115034', class: Migration20261122115034 },
  { name: 'Migration20261122130117', class: Migration20261122130117 },
  { name: 'Migration20261122141525', class: Migration20261122141525 },
  { name: 'Migration20261122142228', class: Migration20261122142228 },
  { name: 'Migration20261122152736', class: Migration20261122152736 },
];
