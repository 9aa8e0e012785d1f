import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122104738 } from './Migration20261122104738.js';

/** Every migration of this subgraph, oldest first (written by `pnpm migration:create`). */
export const migrations: MigrationObject[] = [{ name: 'Migration20261122104738', class: Migration20261122104738 }];
