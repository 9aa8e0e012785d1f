import { LockMode } from '@mikro-orm/core';
import { z } from 'zod';
import { authorize } from '@deskgraph/auth';
import { recordEvent } from '@deskgraph/database';
import { ForbiddenError, UnauthorizedError, parseInput } from '@deskgraph/errors';
import type { DomainEvent } from '@deskgraph/events';
import { mapStream, type RequestContext } from '@deskgraph/subgraph-kit';
import { UserEntity, agentStatuses, type AgentStatus, type User } from '../users/user.entity.js';
import type { AgentStatusChangeEvent } from './agent-status.types.js';

const WATCH = { roles: ['admin', 'agent'], scope: 'read' } as const;

const isAgentStatus = (value: unknown): value is AgentStatus => agentStatuses.includes(value as AgentStatus);

function changedAt(event: DomainEvent): Date {
  const stated = typeof event.payload.changedAt === 'string' ? new Date(event.payload.changedAt) : null;
  return stated && !Number.isNaN(stated.getTime()) ? stated : new Date(event.occurredAt);
}

/**
 * Agent presence (the 000 document's agent status): each agent sets their own status; a
 * change is stored on the user and announced as `agent.status_changed` in the same
 * transaction, and streamed to the tenant's agents and admins.
 */
export class AgentStatusService {
  constructor(private readonly ctx: RequestContext) {}

  /** Sets the caller's own status; the same status again changes nothing and announces nothing. */
  async set(status: unknown): Promise<User> {
    const caller = authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'write' });
    const userId = caller.userId;
    if (!userId) throw new ForbiddenError('An API key has no user and so no agent status');
    const data = parseInput(z.object({ status: z.enum(agentStatuses) }), { status });
    return this.ctx.em().transactional(async (em) => {
      const user = await em.findOne(UserEntity, { id: userId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!user || !user.isActive) throw new UnauthorizedError('The user of this token no longer exists or is inactive');
      if (user.status === data.status) return user;
      const previousStatus = user.status;
      const now = new Date();
      user.status = data.status;
      user.statusChangedAt = now;
      recordEvent(em, {
        type: 'agent.status_changed',
        tenantId: user.tenantId,
        aggregateId: user.id,
        payload: { userId: user.id, status: user.status, previousStatus, changedAt: now.toISOString() },
      });
      return user;
    });
  }

  /** Status changes of the caller's tenant, of one agent or all. */
  changes(userId: string | null | undefined): AsyncIterableIterator<AgentStatusChangeEvent> {
    authorize(this.ctx.caller, WATCH);
    const wanted = userId ?? null;
    const events = this.ctx.events(
      ['agent.status_changed'],
      (event) =>
        (wanted === null || event.payload.userId === wanted) &&
        typeof event.payload.userId === 'string' &&
        isAgentStatus(event.payload.status) &&
        isAgentStatus(event.payload.previousStatus),
    );
    return mapStream(events, (event) => ({
      userId: event.payload.userId as string,
      status: event.payload.status as AgentStatus,
      previousStatus: event.payload.previousStatus as AgentStatus,
      changedAt: changedAt(event),
    }));
  }
}
