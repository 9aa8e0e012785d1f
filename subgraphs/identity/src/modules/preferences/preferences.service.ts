import { z } from 'zod';
import { authorize } from '@deskgraph/auth';
import { ForbiddenError, parseInput } from '@deskgraph/errors';
import type { RequestContext } from '@deskgraph/subgraph-kit';
import { languageTag, timezone } from '@deskgraph/validation';
import { PreferenceEntity, themes, type NotificationSettings } from './preference.entity.js';

export interface PreferencesView {
  notifications: NotificationSettings;
  theme: (typeof themes)[number];
  language: string;
  timezone: string;
}

export const DEFAULT_PREFERENCES: PreferencesView = {
  notifications: { email: true, inApp: true, desktop: false },
  theme: 'system',
  language: 'en',
  timezone: 'UTC',
};

const updatePreferencesSchema = z.object({
  notifications: z.object({ email: z.boolean().nullish(), inApp: z.boolean().nullish(), desktop: z.boolean().nullish() }).nullish(),
  theme: z.enum(themes).nullish(),
  language: languageTag.nullish(),
  timezone: timezone.nullish(),
});

export class PreferencesService {
  constructor(private readonly ctx: RequestContext) {}

  async get(): Promise<PreferencesView> {
    const userId = this.userId();
    const stored = await this.ctx.em().findOne(PreferenceEntity, { user: userId });
    return stored ? toView(stored) : DEFAULT_PREFERENCES;
  }

  async update(input: unknown): Promise<PreferencesView> {
    const userId = this.userId();
    authorize(this.ctx.caller, { scope: 'write' });
    const data = parseInput(updatePreferencesSchema, input);
    const em = this.ctx.em();
    const current = await this.get();
    const next: PreferencesView = {
      notifications: {
        email: data.notifications?.email ?? current.notifications.email,
        inApp: data.notifications?.inApp ?? current.notifications.inApp,
        desktop: data.notifications?.desktop ?? current.notifications.desktop,
      },
      theme: data.theme ?? current.theme,
      language: data.language ?? current.language,
      timezone: data.timezone ?? current.timezone,
    };
    await em.upsert(PreferenceEntity, { user: userId, tenantId: this.ctx.caller!.tenantId, ...next, updatedAt: new Date() });
    return next;
  }

  private userId(): string {
    const caller = authorize(this.ctx.caller);
    if (!caller.userId) throw new ForbiddenError('Preferences belong to users; an API key has none');
    return caller.userId;
  }
}

function toView(stored: PreferencesView): PreferencesView {
  return { notifications: stored.notifications, theme: stored.theme, language: stored.language, timezone: stored.timezone };
}
