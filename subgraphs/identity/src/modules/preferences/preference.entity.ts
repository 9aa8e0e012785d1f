import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '@deskgraph/database';
import { UserEntity } from '../users/user.entity.js';

export const themes = ['light', 'dark', 'system'] as const;

export interface NotificationSettings {
  email: boolean;
  inApp: boolean;
  desktop: boolean;
}

/** A user's personal settings; the row exists only once the user changed something. */
export const PreferenceEntity = defineEntity({
  name: 'Preference',
  tableName: 'user_preferences',
  filters: tenantFilter,
  properties: (p) => ({
    user: p.oneToOne(UserEntity).primary().owner().deleteRule('cascade').ref(),
    tenantId: p.uuid(),
    notifications: p.json<NotificationSettings>(),
    theme: p.enum([...themes]),
    language: p.string().length(35),
    timezone: p.string().length(64),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
});
export type Preference = InferEntity<typeof PreferenceEntity>;
