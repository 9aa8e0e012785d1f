import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { authorize } from '@deskgraph/auth';
import { findPage, pageRequest, recordEvent, type Connection } from '@deskgraph/database';
import { parseInput } from '@deskgraph/errors';
import type { RequestContext } from '@deskgraph/subgraph-kit';
import { trimmedText, uuid } from '@deskgraph/validation';
import { ResolutionEntity, resolutionPriorities, type Resolution } from './resolution.entity.js';

/** A lower-case label such as `technical` or `engineering`. */
function label(max: number) {
  return trimmedText(max)
    .min(1, { message: 'is required' })
    .transform((value) => value.toLowerCase());
}

const createResolutionSchema = z.object({
  conversationId: uuid.nullish(),
  issueType: label(50),
  owningTeam: label(120),
  priority: z.enum(resolutionPriorities),
});

export class ResolutionsService {
  constructor(private readonly ctx: RequestContext) {}

  /** Batched by id within the caller's tenant; other tenants' resolutions and non-UUIDs are null. */
  load(id: string): Promise<Resolution | null> {
    return this.ctx.byId(ResolutionEntity, id);
  }

  async get(id: string): Promise<Resolution | null> {
    authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'read' });
    return this.load(id);
  }

  async list(args: { first?: number | null; after?: string | null }): Promise<Connection<Resolution>> {
    authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'read' });
    return findPage(this.ctx.em(), ResolutionEntity, {}, { createdAt: 'desc', id: 'desc' }, pageRequest(args));
  }

  async create(input: unknown): Promise<Resolution> {
    const caller = authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'write' });
    const data = parseInput(createResolutionSchema, input);
    const em = this.ctx.em();
    const resolution = em.create(ResolutionEntity, {
      id: randomUUID(),
      tenantId: caller.tenantId,
      conversationId: data.conversationId ?? null,
      issueType: data.issueType,
      owningTeam: data.owningTeam,
      status: 'open',
      priority: data.priority,
      rootCause: null,
      fixDescription: null,
    });
    recordEvent(em, {
      type: 'resolution.created',
      tenantId: resolution.tenantId,
      aggregateId: resolution.id,
      payload: { resolutionId: resolution.id, conversationId: resolution.conversationId, priority: resolution.priority },
    });
    await em.flush();
    return resolution;
  }
}
export type ResolutionConnection = Connection<Resolution>;
