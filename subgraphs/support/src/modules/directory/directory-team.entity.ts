import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '@deskgraph/database';

/** A team of the tenant as identity announced it (`team.created`, `team.deleted`); a deleted team stays as a tombstone. */
export const DirectoryTeamEntity = defineEntity({
  name: 'DirectoryTeam',
  tableName: 'directory_teams',
  filters: tenantFilter,
  properties: (p) => ({
    tenantId: p.uuid().primary(),
    /** The identity team id. */
    id: p.uuid().primary(),
    deleted: p.boolean(),
    /** When the latest applied event happened in identity. */
    updatedAt: p.datetime(),
  }),
});
export type DirectoryTeam = InferEntity<typeof DirectoryTeamEntity>;
