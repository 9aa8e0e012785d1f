import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knex, type Knex } from '@mikro-orm/postgresql';
import { afterAll, beforeAll } from 'vitest';
import type { Role } from '@deskgraph/auth';
import type { DomainEvent } from '@deskgraph/events';
import { startTestSubgraph, type TestSubgraph } from '@deskgraph/testing';
import { DEFAULT_ATTACHMENT_LIMITS, type AttachmentLimits } from '../../../config.js';
import { createSupportSubgraph } from '../../../server.js';

/** Test support for the conversations and messages modules: a support subgraph on a fresh database. */

type SupportSubgraph = Awaited<ReturnType<typeof createSupportSubgraph>>;

/** Callers of one new tenant, signed as the gateway would. */
export interface TestTenant {
  tenantId: string;
  admin: string;
  agent: string;
  agentId: string;
  otherAgent: string;
  otherAgentId: string;
  /** A portal customer: an identity user with role CUSTOMER. */
  portal: string;
  portalUserId: string;
  /** The portal user's email as identity announced it; `portalCustomer` creates the customer record it links to. */
  portalEmail: string;
}

/** A new, lower-case email address (as identity stores users' emails). */
export function testEmail(label = 'user'): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

/**
 * An identity event as identity's outbox relay publishes it. `user.*` payloads carry the user's
 * role and active flag after the change, as identity writes them.
 */
export function identityEvent(
  type: string,
  tenantId: string,
  payload: Record<string, unknown>,
  occurredAt: Date = new Date(),
  aggregateId = String(payload.userId ?? payload.teamId ?? tenantId),
): DomainEvent {
  return { id: randomUUID(), type, tenantId, aggregateId, source: 'identity', occurredAt: occurredAt.toISOString(), payload };
}

export const CONVERSATION_FIELDS = `id customerId state channelsUsed currentChannel assignedAgentId assignedTeamId severity subject tags
  messageCount escalationReason firstResponseAt lastMessageAt resolvedAt closedAt reopenCount createdAt updatedAt`;

export const CREATE_CONVERSATION = `mutation ($input: CreateConversationInput!) { createConversation(input: $input) { ${CONVERSATION_FIELDS} } }`;
export const SEND_MESSAGE = `mutation ($conversationId: ID!, $input: SendMessageInput!) {
  sendMessage(conversationId: $conversationId, input: $input) {
    id conversationId channel direction senderType senderId content contentType isInternal status deletedAt createdAt
    attachments { id filename contentType size sha256 url }
  }
}`;

export function useSupportSubgraph(options: { onQuery?: (sql: string) => void; attachmentLimits?: Partial<AttachmentLimits> } = {}) {
  const attachmentsDirectory = mkdtempSync(join(tmpdir(), 'deskgraph-attachments-'));
  let started: TestSubgraph<SupportSubgraph> | undefined;
  let database: Knex | undefined;

  beforeAll(async () => {
    let databaseUrl = '';
    started = await startTestSubgraph(
      (dependencies) => {
        databaseUrl = dependencies.databaseUrl;
        return createSupportSubgraph(dependencies, {
          attachmentsDirectory,
          attachmentLimits: { ...DEFAULT_ATTACHMENT_LIMITS, ...options.attachmentLimits },
        });
      },
      { onQuery: (sql) => options.onQuery?.(sql) },
    );
    database = knex({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 2 } });
  });
  afterAll(async () => {
    await database?.destroy();
    await started?.stop();
    rmSync(attachmentsDirectory, { recursive: true, force: true });
  });

  const support = (): TestSubgraph<SupportSubgraph> => {
    if (!started) throw new Error('the support subgraph has not started');
    return started;
  };
  /** Direct SQL on the subgraph's database, for fixtures and for looking under the API. */
  const db = (): Knex => {
    if (!database) throw new Error('the support subgraph has not started');
    return database;
  };

  const data = <T = any>(query: string, variables: Record<string, unknown>, token: string | null): Promise<T> =>
    support().data<T>(query, variables, token);

  const failure = (query: string, variables: Record<string, unknown>, token: string | null) => support().failure(query, variables, token);

  /**
   * Delivers events to the subgraph over its bus, as identity's relay would, and waits until
   * every consumer (support's directory) has applied them.
   */
  const publish = async (...events: DomainEvent[]): Promise<void> => {
    for (const event of events) await support().bus.publish(event);
    await support().bus.drain();
  };

  /** A customer row written directly (the customers module owns its API). */
  const customer = async (tenant: TestTenant, name = 'Grace Customer', fields: Record<string, unknown> = {}): Promise<string> => {
    const id = randomUUID();
    const now = new Date();
    await db()
      .withSchema('support')
      .insert({ id, tenant_id: tenant.tenantId, name, created_at: now, updated_at: now, ...fields })
      .into('customers');
    return id;
  };

  /** A customer row with an EMAIL identity, written directly (the customers module owns its API). */
  const customerWithEmail = async (tenant: TestTenant, email: string, name = 'Grace Customer'): Promise<string> => {
    const id = await customer(tenant, name);
    await db()
      .withSchema('support')
      .insert({
        id: randomUUID(),
        tenant_id: tenant.tenantId,
        customer_id: id,
        kind: 'email',
        network: '',
        value: email,
        is_primary: true,
        created_at: new Date(),
      })
      .into('customer_identities');
    return id;
  };

  return {
    support,
    db,
    data,
    failure,
    publish,
    attachmentsDirectory,

    /**
     * Callers of a new tenant; each one is also a member of support's directory (identity's
     * `user.created`, with an email). The portal user is linked to no customer record until
     * `portalCustomer` creates one with their email.
     */
    async tenant(): Promise<TestTenant> {
      const admin = await support().caller({ role: 'admin' });
      const tenantId = admin.caller.tenantId;
      const agent = await support().caller({ role: 'agent', tenantId });
      const otherAgent = await support().caller({ role: 'agent', tenantId });
      const portal = await support().caller({ role: 'customer', tenantId });
      const portalEmail = testEmail('portal');
      await publish(
        ...[admin, agent, otherAgent, portal].map(({ caller }) =>
          identityEvent('user.created', tenantId, {
            userId: caller.userId,
            email: caller === portal.caller ? portalEmail : testEmail(caller.role),
            role: caller.role,
            isActive: true,
          }),
        ),
      );
      return {
        tenantId,
        admin: admin.token,
        agent: agent.token,
        agentId: agent.caller.userId!,
        otherAgent: otherAgent.token,
        otherAgentId: otherAgent.caller.userId!,
        portal: portal.token,
        portalUserId: portal.caller.userId!,
        portalEmail,
      };
    },

    /** A new user of the tenant, known to support's directory once identity's `user.created` is applied. */
    async member(tenantId: string, role: Role = 'agent'): Promise<string> {
      const userId = randomUUID();
      await publish(identityEvent('user.created', tenantId, { userId, role, isActive: true }));
      return userId;
    },

    /** A new team of the tenant, known to support's directory once identity's `team.created` is applied. */
    async team(tenantId: string): Promise<string> {
      const teamId = randomUUID();
      await publish(identityEvent('team.created', tenantId, { teamId }));
      return teamId;
    },

    customer,
    customerWithEmail,

    /** The customer record the tenant's portal user is: it owns the user's email. */
    portalCustomer(tenant: TestTenant, name = 'Portal Customer'): Promise<string> {
      return customerWithEmail(tenant, tenant.portalEmail, name);
    },

    async createConversation(tenant: TestTenant, input: Record<string, unknown>, token = tenant.agent) {
      return (await data(CREATE_CONVERSATION, { input }, token)).createConversation as Record<string, any>;
    },

    async send(token: string, conversationId: string, input: Record<string, unknown>) {
      return (await data(SEND_MESSAGE, { conversationId, input }, token)).sendMessage as Record<string, any>;
    },

    /** Events the subgraph published for one tenant, optionally of one type, once the outbox is flushed. */
    async eventsOf(tenantId: string, type?: string): Promise<DomainEvent[]> {
      await support().settle();
      return support().events.filter(
        (event) => event.source === 'support' && event.tenantId === tenantId && (type === undefined || event.type === type),
      );
    },
  };
}
