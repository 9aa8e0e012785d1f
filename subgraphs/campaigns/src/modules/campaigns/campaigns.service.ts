import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { authorize } from '@deskgraph/auth';
import { findPage, pageRequest, recordEvent, type Connection } from '@deskgraph/database';
import { parseInput } from '@deskgraph/errors';
import type { RequestContext } from '@deskgraph/subgraph-kit';
import { phoneE164, timezone, trimmedText } from '@deskgraph/validation';
import { CampaignEntity, type Campaign } from './campaign.entity.js';

const createCampaignSchema = z
  .object({
    name: trimmedText(200).min(1, { message: 'is required' }),
    callerId: phoneE164,
    timezone,
    scheduleStart: z.date().nullish(),
    scheduleEnd: z.date().nullish(),
    amdEnabled: z.boolean().default(true),
    recordCalls: z.boolean().default(false),
  })
  .refine((campaign) => !campaign.scheduleStart || !campaign.scheduleEnd || campaign.scheduleEnd > campaign.scheduleStart, {
    message: 'must be after scheduleStart',
    path: ['scheduleEnd'],
  });

export class CampaignsService {
  constructor(private readonly ctx: RequestContext) {}

  /** Batched by id within the caller's tenant; other tenants' campaigns and non-UUIDs are null. */
  load(id: string): Promise<Campaign | null> {
    return this.ctx.byId(CampaignEntity, id);
  }

  async get(id: string): Promise<Campaign | null> {
    authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'read' });
    return this.load(id);
  }

  async list(args: { first?: number | null; after?: string | null }): Promise<Connection<Campaign>> {
    authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'read' });
    return findPage(this.ctx.em(), CampaignEntity, {}, { createdAt: 'desc', id: 'desc' }, pageRequest(args));
  }

  async create(input: unknown): Promise<Campaign> {
    const caller = authorize(this.ctx.caller, { roles: ['admin'], scope: 'admin' });
    const data = parseInput(createCampaignSchema, input);
    const em = this.ctx.em();
    const campaign = em.create(CampaignEntity, {
      id: randomUUID(),
      tenantId: caller.tenantId,
      name: data.name,
      callerId: data.callerId,
      status: 'draft',
      timezone: data.timezone,
      scheduleStart: data.scheduleStart ?? null,
      scheduleEnd: data.scheduleEnd ?? null,
      amdEnabled: data.amdEnabled,
      recordCalls: data.recordCalls,
    });
    recordEvent(em, {
      type: 'campaign.created',
      tenantId: campaign.tenantId,
      aggregateId: campaign.id,
      payload: { campaignId: campaign.id },
    });
    await em.flush();
    return campaign;
  }
}
export type CampaignConnection = Connection<Campaign>;
