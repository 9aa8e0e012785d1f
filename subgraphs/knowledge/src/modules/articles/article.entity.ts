import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '@deskgraph/database';

export const articleStatuses = ['draft', 'published', 'archived'] as const;
export type ArticleStatus = (typeof articleStatuses)[number];

export const articleVisibilities = ['internal', 'customer', 'both'] as const;
export type ArticleVisibility = (typeof articleVisibilities)[number];

export const ArticleEntity = defineEntity({
  name: 'Article',
  tableName: 'articles',
  filters: tenantFilter,
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    title: p.string().length(300),
    content: p.text(),
    status: p.enum([...articleStatuses]).default('draft'),
    visibility: p.enum([...articleVisibilities]).default('internal'),
    tags: p.array().default([]),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
  indexes: [{ name: 'articles_tenant_created_idx', properties: ['tenantId', 'createdAt', 'id'] }],
});
export type Article = InferEntity<typeof ArticleEntity>;
