import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import type { Role } from '@deskgraph/auth';
import { openDatabase, tenantEntityManager } from '@deskgraph/database';
import type { DomainEvent } from '@deskgraph/events';
import { createLogger } from '@deskgraph/runtime';
import { startTestSubgraph, type TestSubgraph } from '@deskgraph/testing';
import { entities } from '../../../entities.js';
import { migrations } from '../../../migrations/index.js';
import { createSupportSubgraph } from '../../../server.js';
import { ConversationEntity } from '../../conversations/conversation.entity.js';
import { MessageEntity } from '../../messages/message.entity.js';

/**
 * Test support for the support subgraph's customer and organization tests: a subgraph on a
 * fresh database, callers of new tenants, direct rows for what other modules own, and a
 * count of SQL statements.
 */

type SupportSubgraph = Awaited<ReturnType<typeof createSupportSubgraph>>;

export interface TestCaller {
  tenantId: string;
  userId: string | null;
  token: string;
}

export const CUSTOMER = `id name email phone company avatarUrl organizationId slaTier status tags segments riskFlags customFields createdAt updatedAt
  profile { name company avatarUrl }
  identityGraph { emails phoneNumbers socialIds socialAccounts { network id } deviceFingerprints }
  identities { kind network value isPrimary }
  organization { id name }`;

export const CREATE_CUSTOMER = `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { ${CUSTOMER} } }`;
export const GET_CUSTOMER = `query ($id: ID!) { customer(id: $id) { ${CUSTOMER} } }`;
export const CREATE_ORGANIZATION = `mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id name } }`;

export function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

/** A random valid US number in E.164 (+1 415 555 01xx is reserved for fiction, so use 2xx-9xx exchanges). */
export function uniquePhone(): string {
  const line = String(Math.floor(Math.random() * 10_000)).padStart(4, '0');
  const exchange = 200 + Math.floor(Math.random() * 700);
  return `+1415${exchange}${line}`;
}

/** The support subgraph for the calling test file, started before its tests and stopped after. */
export function useSupportSubgraph() {
  let started: TestSubgraph<SupportSubgraph> | undefined;
  let orm: MikroORM | undefined;
  let statements: string[] | null = null;

  beforeAll(async () => {
    let databaseUrl = '';
    started = await startTestSubgraph(
      (dependencies) => {
        databaseUrl = dependencies.databaseUrl;
        // These tests store no attachments; keep any stray file out of the working tree.
        return createSupportSubgraph(dependencies, { attachmentsDirectory: join(tmpdir(), 'deskgraph-customer-tests') });
      },
      { onQuery: (sql) => statements?.push(sql) },
    );
    orm = await openDatabase({
      url: databaseUrl,
      schema: 'support',
      entities,
      migrations,
      logger: createLogger({ name: 'support-test-rows', level: 'silent' }),
      poolSize: 2,
    });
  });
  afterAll(async () => {
    await orm?.close();
    await started?.stop();
  });

  const support = (): TestSubgraph<SupportSubgraph> => {
    if (!started) throw new Error('the support subgraph has not started');
    return started;
  };

  const data = <T = any>(query: string, variables: Record<string, unknown>, token: string | null): Promise<T> =>
    support().data<T>(query, variables, token);

  const failure = (query: string, variables: Record<string, unknown>, token: string | null) => support().failure(query, variables, token);

  /** Rows written straight to the subgraph's database, scoped to one tenant (for what other modules own). */
  const rows = (tenantId: string): EntityManager => {
    if (!orm) throw new Error('the support subgraph has not started');
    return tenantEntityManager(orm.em as EntityManager, tenantId);
  };

  return {
    support,
    data,
    failure,
    rows,

    /** A caller of a new tenant (an admin unless said otherwise). */
    async caller(
      role: Role = 'admin',
      overrides: { tenantId?: string; scopes?: ('read' | 'write' | 'admin')[] } = {},
    ): Promise<TestCaller> {
      const { caller, token } = await support().caller({ role, ...overrides });
      return { tenantId: caller.tenantId, userId: caller.userId, token };
    },

    async createCustomer(token: string, input: Record<string, unknown>): Promise<any> {
      return (await data<{ createCustomer: any }>(CREATE_CUSTOMER, { input }, token)).createCustomer;
    },

    async createOrganization(token: string, input: Record<string, unknown>): Promise<{ id: string; name: string }> {
      return (await data<{ createOrganization: { id: string; name: string } }>(CREATE_ORGANIZATION, { input }, token)).createOrganization;
    },

    /** A conversation of a customer with some messages, written directly (the conversations module owns them). */
    async insertConversation(
      tenantId: string,
      customerId: string,
      messages = 2,
    ): Promise<{ conversationId: string; messageIds: string[] }> {
      const em = rows(tenantId);
      const conversation = em.create(ConversationEntity, {
        id: randomUUID(),
        tenantId,
        customerId,
        state: 'awaiting_agent',
        currentChannel: 'email',
        channelsUsed: ['email'],
        subject: 'Cannot sign in',
        messageCount: messages,
      });
      const messageIds = Array.from({ length: messages }, (_, index) => {
        const message = em.create(MessageEntity, {
          id: randomUUID(),
          tenantId,
          conversationId: conversation.id,
          customerId,
          channel: 'email',
          direction: 'inbound',
          senderType: 'customer',
          content: `Message ${index + 1}`,
          status: 'delivered',
        });
        return message.id;
      });
      await em.flush();
      return { conversationId: conversation.id, messageIds };
    },

    /** The SQL statements the subgraph ran during `work`. */
    async statementsDuring(work: () => Promise<unknown>): Promise<string[]> {
      statements = [];
      try {
        await work();
        return statements.filter((statement) => statement.includes('[query]'));
      } finally {
        statements = null;
      }
    },

    /** Events the subgraph published for one tenant, by type, once the outbox is flushed. */
    async eventsOf(tenantId: string, type: string): Promise<DomainEvent[]> {
      await support().settle();
      return support().events.filter((event) => event.tenantId === tenantId && event.type === type);
    },
  };
}
