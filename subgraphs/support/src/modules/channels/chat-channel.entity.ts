import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '@deskgraph/database';

/**
 * A web-chat widget of a tenant. Its widget token is embedded in web pages: it names the
 * channel (and so the tenant) and can be switched off, but it is not a secret.
 */
export const ChatChannelEntity = defineEntity({
  name: 'ChatChannel',
  tableName: 'chat_channels',
  filters: tenantFilter,
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    name: p.string().length(200),
    widgetToken: p.string().length(100).unique('chat_channels_widget_token_unique'),
    isActive: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
  indexes: [{ name: 'chat_channels_tenant_created_idx', properties: ['tenantId', 'createdAt', 'id'] }],
});
export type ChatChannel = InferEntity<typeof ChatChannelEntity>;
