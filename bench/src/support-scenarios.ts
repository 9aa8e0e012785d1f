import type pg from 'pg';
import { SEARCHES } from './support-seed.js';

const CONVERSATION_PAGE = 50;
const CUSTOMER_PAGE = 20;
const CONVERSATION_SELECTION =
  'nodes { id subject state severity customer { name } assignedAgent { displayName } lastMessage { content createdAt } } totalCount';

/** The page a query must answer, read straight from the tables (not through the code under test). */
export interface ReferencePage {
  totalCount: number;
  /** The ids of the page, in order. */
  ids: string[];
}

interface ConversationNode {
  id?: string;
  state?: string;
  severity?: string;
  customer?: { name?: string } | null;
  assignedAgent?: { displayName?: string } | null;
  lastMessage?: { content?: string; createdAt?: string } | null;
}

interface CustomerNode {
  id?: string;
  name?: string;
  email?: string | null;
}

interface Page<T> {
  totalCount?: number;
  nodes?: T[];
}

/** One query of the support suite, with its reference answer and what else every node must satisfy. */
export interface SupportScenario {
  name: string;
  query: string;
  reference(client: pg.Client, tenantId: string): Promise<ReferencePage>;
  /** Null when the answer (GraphQL `data`) is right, else what is wrong. */
  check(data: unknown, reference: ReferencePage): string | null;
}

function conversationScenario(name: string, filter: { state: string[]; severity: string[] } | null): SupportScenario {
  const graphqlFilter = filter ? `, filter: { state: [${filter.state.join(', ')}], severity: [${filter.severity.join(', ')}] }` : '';
  return {
    name,
    query: `query Bench { conversations(first: ${CONVERSATION_PAGE}, sortBy: LAST_MESSAGE_AT, sortOrder: DESC${graphqlFilter}) { ${CONVERSATION_SELECTION} } }`,
    async reference(client, tenantId) {
      const { rows } = await client.query<{ id: string; total: number }>(
        `select id::text, count(*) over ()::int as total from support.conversations
         where tenant_id = $1 and deleted_at is null and ($2::text[] is null or state = any($2)) and ($3::text[] is null or severity = any($3))
         order by last_message_at desc nulls last, id desc limit $4`,
        [tenantId, filter?.state.map((state) => state.toLowerCase()) ?? null, filter?.severity ?? null, CONVERSATION_PAGE],
      );
      return { totalCount: rows[0]?.total ?? 0, ids: rows.map((row) => row.id) };
    },
    check(data, reference) {
      const page = (data as { conversations?: Page<ConversationNode> } | null)?.conversations;
      const problem = checkPage(page, reference);
      if (problem) return problem;
      const nodes = page!.nodes!;
      if (nodes.some((node) => !node.customer?.name)) return 'a conversation has no customer name';
      if (nodes.some((node) => !node.lastMessage?.content || !node.lastMessage.createdAt)) return 'a conversation has no last message';
      if (filter && nodes.some((node) => !filter.state.includes(node.state ?? '') || !filter.severity.includes(node.severity ?? ''))) {
        return 'a conversation does not match the filter';
      }
      if (nodes.some((node) => node.assignedAgent && !node.assignedAgent.displayName)) return 'an assigned agent has no display name';
      if (!nodes.some((node) => node.assignedAgent?.displayName)) return 'no conversation of the page shows its assigned agent (identity)';
      return null;
    },
  };
}

/** `%text%`, and for a phone-looking text also its digits, as customers(filter: { search }) documents it. */
function customerScenario(name: string, search: string): SupportScenario {
  const digits = /^\+?[\d\s().-]+$/.test(search) ? search.replace(/\D/g, '') : '';
  return {
    name,
    query: `query Bench { customers(first: ${CUSTOMER_PAGE}, filter: { search: ${JSON.stringify(search)} }) { totalCount nodes { id name email } } }`,
    async reference(client, tenantId) {
      const { rows } = await client.query<{ id: string; total: number }>(
        `select c.id::text, count(*) over ()::int as total from support.customers c
         where c.tenant_id = $1 and c.merged_into_id is null
           and (c.name ilike $2 or exists (select 1 from support.customer_identities i
                                          where i.tenant_id = $1 and i.customer_id = c.id and (i.value ilike $2 or i.value like $3)))
         order by c.created_at desc, c.id desc limit $4`,
        [tenantId, `%${search}%`, digits.length >= 3 ? `%${digits}%` : null, CUSTOMER_PAGE],
      );
      return { totalCount: rows[0]?.total ?? 0, ids: rows.map((row) => row.id) };
    },
    check(data, reference) {
      const page = (data as { customers?: Page<CustomerNode> } | null)?.customers;
      const problem = checkPage(page, reference);
      if (problem) return problem;
      if (page!.nodes!.some((node) => !node.name || !node.email)) return 'a customer has no name or email';
      return null;
    },
  };
}

function checkPage(page: Page<{ id?: string }> | undefined, reference: ReferencePage): string | null {
  if (!page?.nodes) return 'no page in the answer';
  if (reference.totalCount === 0) return 'the reference query finds nothing: the seed did not produce what the query looks for';
  if (page.totalCount !== reference.totalCount) return `totalCount is ${page.totalCount}, the tables say ${reference.totalCount}`;
  const ids = page.nodes.map((node) => node.id);
  if (JSON.stringify(ids) !== JSON.stringify(reference.ids)) return `the page is not the ${reference.ids.length} expected rows in order`;
  return null;
}

export const supportScenarios: SupportScenario[] = [
  conversationScenario('conversations, latest 50', null),
  conversationScenario('conversations, AWAITING_AGENT and P1', { state: ['AWAITING_AGENT'], severity: ['P1'] }),
  customerScenario('customer search: surname', SEARCHES.surname),
  customerScenario('customer search: phone fragment', SEARCHES.phoneFragment),
  customerScenario('customer search: email prefix', SEARCHES.emailPrefix),
];
