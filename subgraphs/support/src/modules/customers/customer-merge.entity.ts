import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '@deskgraph/database';

/** The audit record of one merge; a source customer can be merged once. */
export const CustomerMergeEntity = defineEntity({
  name: 'CustomerMerge',
  tableName: 'customer_merges',
  filters: tenantFilter,
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    sourceId: p.uuid(),
    targetId: p.uuid(),
    /** Who merged: a user id, an API key id or `system`. */
    mergedBy: p.string().length(100),
    movedIdentities: p.integer(),
    movedConversations: p.integer(),
    movedMessages: p.integer(),
    mergedAt: p.datetime().onCreate(() => new Date()),
  }),
  uniques: [{ name: 'customer_merges_source_unique', properties: ['tenantId', 'sourceId'] }],
  indexes: [{ name: 'customer_merges_target_idx', properties: ['tenantId', 'targetId'] }],
});
export type CustomerMerge = InferEntity<typeof CustomerMergeEntity>;
