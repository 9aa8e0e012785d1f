import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { roles } from '@deskgraph/auth';
import { tenantFilter } from '@deskgraph/database';

/** An agent's availability (the 000 document's agent status), stored lower-case. */
export const agentStatuses = ['available', 'busy', 'away', 'offline'] as const;
export type AgentStatus = (typeof agentStatuses)[number];

export const UserEntity = defineEntity({
  name: 'User',
  tableName: 'users',
  filters: tenantFilter,
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    /** Lower-cased; unique across tenants because sign-in has no tenant. */
    email: p.string().length(320).unique(),
    passwordHash: p.text().hidden(),
    firstName: p.string().length(100),
    lastName: p.string().length(100),
    phone: p.string().length(20).nullable(),
    role: p.enum([...roles]),
    isActive: p.boolean().default(true),
    skills: p.array().default([]),
    maxConcurrentConversations: p.integer().default(5),
    lastLoginAt: p.datetime().nullable(),
    status: p.enum([...agentStatuses]).default('offline'),
    statusChangedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
  indexes: [{ name: 'users_tenant_created_idx', properties: ['tenantId', 'createdAt', 'id'] }],
});
export type User = InferEntity<typeof UserEntity>;
