import type { EntityManager } from '@mikro-orm/postgresql';
import type { Connection, PageRequest } from '@deskgraph/database';
import { ValidationError } from '@deskgraph/errors';
import { isUuid } from '@deskgraph/validation';
import { MessageEntity, type Message } from '../messages/message.entity.js';
import { ConversationEntity, type Channel, type Conversation, type ConversationState, type Severity } from './conversation.entity.js';
import { ConversationEventEntity, type ConversationEvent } from './conversation-event.entity.js';
import { and, containsPattern, joinSql, query, raw, sql, table, type Sql } from './sql.js';

export type ConversationSortField = 'CREATED_AT' | 'LAST_MESSAGE_AT' | 'SLA_DUE_AT';
export type SortDirection = 'ASC' | 'DESC';

export interface ConversationSort {
  field: ConversationSortField;
  order: SortDirection;
}

/** The 000 document's conversation filters; every given one must hold. */
export interface ConversationListFilter {
  state?: ConversationState[];
  assignedAgentId?: string;
  assignedTeamId?: string;
  severity?: Severity[];
  channel?: Channel[];
  slaBreach?: boolean;
  customerId?: string;
  tags?: string[];
  search?: string;
  createdAfter?: Date;
  createdBefore?: Date;
}

export interface CustomerConversationStats {
  totalConversations: number;
  openConversations: number;
  avgResolutionTimeHours: number | null;
  lastContactAt: Date | null;
}

/** A page of a customer's timeline as ids, newest first; the caller loads what they name. */
export interface TimelineRow {
  kind: 'CONVERSATION_STARTED' | 'MESSAGE' | 'NOTE' | 'STATE_CHANGE';
  id: string;
  occurredAt: Date;
  conversationId: string;
  messageId: string | null;
  eventId: string | null;
  cursor: string;
}

export interface TimelinePage {
  rows: TimelineRow[];
  hasNextPage: boolean;
}

/**
 * History entries a customer's timeline shows as STATE_CHANGE. Escalating, resolving and
 * reopening also record a `state_changed` entry (with the reason), which stands for them.
 */
export const TIMELINE_EVENT_TYPES = ['state_changed', 'assigned', 'transferred'] as const;

const SORT_COLUMNS: Record<ConversationSortField, { column: string; nullable: boolean }> = {
  CREATED_AT: { column: 'created_at', nullable: false },
  LAST_MESSAGE_AT: { column: 'last_message_at', nullable: true },
  SLA_DUE_AT: { column: 'sla_due_at', nullable: true },
};

/** A timestamp as cursors carry it: UTC, exact to the microsecond (a JS Date keeps milliseconds only). */
const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** `expression` (a timestamptz) in the cursors' text form, whatever the session's DateStyle and TimeZone. */
function exactTimestamp(expression: Sql): Sql {
  return sql`to_char(${expression} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

interface KeysetCursor {
  /** The sort key as PostgreSQL text, or null for a row in the NULLS LAST tail. */
  value: string | null;
  id: string;
}

function invalidCursor(field = 'after'): ValidationError {
  return new ValidationError([{ field, message: 'is not a valid cursor' }]);
}

function encodeCursor(parts: unknown[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

function decodeParts(cursor: string, field: string): unknown[] {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(decoded)) return decoded;
  } catch {
    // answered below
  }
  throw invalidCursor(field);
}

/** A conversation-list cursor: `[sortField, sortValue | null, id]`. */
function decodeConversationCursor(cursor: string, sort: ConversationSort): KeysetCursor {
  const [field, value, id, ...rest] = decodeParts(cursor, 'after');
  const { nullable } = SORT_COLUMNS[sort.field];
  const validValue = (typeof value === 'string' && TIMESTAMP_TEXT.test(value)) || (value === null && nullable);
  if (rest.length > 0 || field !== sort.field || !validValue || !isUuid(id)) throw invalidCursor();
  return { value: value as string | null, id: id as string };
}

/** Strips the helper columns (`__…`) of a raw row before it becomes an entity. */
function entityColumns(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([key]) => !key.startsWith('__')));
}

/**
 * Conversation queries of one tenant. Lists are plain SQL: MikroORM's findByCursor cannot
 * page over a sort key that is NULL, and the filters need array operators, trigram and
 * full-text search. Every statement names the tenant explicitly.
 */
export class ConversationRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly tenantId: string,
  ) {}

  private get conversations(): Sql {
    return table(this.em, 'conversations');
  }

  private get messages(): Sql {
    return table(this.em, 'messages');
  }

  private toConversation(row: Record<string, unknown>): Conversation {
    return this.em.map(ConversationEntity, entityColumns(row));
  }

  /** The filter as SQL over alias `c`, tenant and not-deleted included. */
  conditions(filter: ConversationListFilter): Sql[] {
    const conditions = [sql`c.tenant_id = ${this.tenantId}`, raw('c.deleted_at is null')];
    // An id that is not a UUID names nothing (never a SQL error).
    const id = (value: string) => (isUuid(value) ? sql`${value}` : raw('null::uuid'));
    if (filter.state?.length) conditions.push(sql`c.state in (${filter.state})`);
    if (filter.assignedAgentId) conditions.push(sql`c.assigned_agent_id = ${id(filter.assignedAgentId)}`);
    if (filter.assignedTeamId) conditions.push(sql`c.assigned_team_id = ${id(filter.assignedTeamId)}`);
    if (filter.severity?.length) conditions.push(sql`c.severity in (${filter.severity})`);
    if (filter.channel?.length) conditions.push(sql`c.channels_used && array[${filter.channel}]::text[]`);
    if (filter.slaBreach === true) conditions.push(raw(`c.sla_due_at < now() and c.state not in ('resolved', 'closed')`));
    if (filter.slaBreach === false) {
      conditions.push(raw(`(c.sla_due_at is null or c.sla_due_at >= now() or c.state in ('resolved', 'closed'))`));
    }
    if (filter.customerId) conditions.push(sql`c.customer_id = ${id(filter.customerId)}`);
    if (filter.tags?.length) conditions.push(sql`c.tags @> array[${filter.tags}]::text[]`);
    if (filter.search) {
      // A semi-join on two index searches: the subject through its trigram index, the words of
      // non-deleted messages through the messages_content_fts_idx expression. (An OR of the two
      // would filter every conversation of the tenant instead.)
      conditions.push(
        sql`c.id in (select s.id from ${this.conversations} s where s.tenant_id = ${this.tenantId} and s.subject ilike ${containsPattern(filter.search)}
          union all select m.conversation_id from ${this.messages} m where m.tenant_id = ${this.tenantId} and m.deleted_at is null
            and to_tsvector('simple', m.content) @@ plainto_tsquery('simple', ${filter.search}))`,
      );
    }
    if (filter.createdAfter) conditions.push(sql`c.created_at >= ${filter.createdAfter}`);
    if (filter.createdBefore) conditions.push(sql`c.created_at < ${filter.createdBefore}`);
    return conditions;
  }

  /**
   * The rows of one page in order, `limit` at most. Nullable keys sort NULLS LAST in both
   * directions: the non-null rows and the NULL tail are two branches, each a range scan of
   * `(tenant_id, key, id)` cut at the page size, so a cursor can sit in either part (a
   * cursor in the tail carries a null key and pages by id alone).
   */
  private pageSql(where: Sql, sort: ConversationSort, cursor: KeysetCursor | null, limit: number, offset: number | null): Sql {
    const { column, nullable } = SORT_COLUMNS[sort.field];
    const direction = raw(sort.order === 'ASC' ? 'asc' : 'desc');
    const after = raw(sort.order === 'ASC' ? '>' : '<');
    const key = raw(`c.${column}`);
    const select = sql`select c.*, ${exactTimestamp(key)} as "__sort" from ${this.conversations} c`;
    if (offset !== null) {
      return sql`${select} where ${where} order by ${key} ${direction} nulls last, c.id ${direction} limit ${limit} offset ${offset}`;
    }
    if (!nullable) {
      const keyset = cursor ? sql` and (${key}, c.id) ${after} (${cursor.value}::timestamptz, ${cursor.id}::uuid)` : raw('');
      return sql`${select} where ${where}${keyset} order by ${key} ${direction}, c.id ${direction} limit ${limit}`;
    }
    // Ordering the NULL tail by (key, id) too lets PostgreSQL read it from the same index (IS NULL acts as equality).
    const nullTail = sql`(${select} where ${where} and ${key} is null${cursor && cursor.value === null ? sql` and c.id ${after} ${cursor.id}::uuid` : raw('')} order by ${key} ${direction}, c.id ${direction} limit ${limit})`;
    if (cursor && cursor.value === null) return nullTail;
    const keyset = cursor ? sql` and (${key}, c.id) ${after} (${cursor.value}::timestamptz, ${cursor.id}::uuid)` : raw('');
    const valued = sql`(${select} where ${where} and ${key} is not null${keyset} order by ${key} ${direction}, c.id ${direction} limit ${limit})`;
    return sql`select * from (${valued} union all ${nullTail}) c order by ${key} ${direction} nulls last, c.id ${direction} limit ${limit}`;
  }

  private cursorOf(sort: ConversationSort, row: Record<string, unknown>): string {
    return encodeCursor([sort.field, (row.__sort as string | null) ?? null, row.id]);
  }

  private connection(
    rows: Record<string, unknown>[],
    sort: ConversationSort,
    page: PageRequest,
    totalCount: Connection<Conversation>['totalCount'],
  ): Connection<Conversation> {
    const visible = rows.slice(0, page.first);
    const edges = visible.map((row) => ({ cursor: this.cursorOf(sort, row), node: this.toConversation(row) }));
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      totalCount,
      pageInfo: {
        hasNextPage: rows.length > page.first,
        hasPreviousPage: page.offset !== null ? page.offset > 0 : page.after !== null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  }

  /**
   * One page of the tenant's conversations: one statement, and a second for the total only
   * if the client selects it (counting a large tenant costs more than the page).
   */
  async page(filter: ConversationListFilter, sort: ConversationSort, page: PageRequest): Promise<Connection<Conversation>> {
    const cursor = page.after !== null ? decodeConversationCursor(page.after, sort) : null;
    const where = and(this.conditions(filter));
    const rows = await query(this.em, this.pageSql(where, sort, cursor, page.first + 1, page.offset));
    let counting: Promise<number> | null = null;
    const count = () =>
      (counting ??= query<{ count: number }>(this.em, sql`select count(*)::int as count from ${this.conversations} c where ${where}`).then(
        ([row]) => row?.count ?? 0,
      ));
    return this.connection(rows, sort, page, count);
  }

  /** The same page for each of several customers (newest first): two statements for all of them. */
  async pagesByCustomer(customerIds: readonly string[], page: PageRequest): Promise<Map<string, Connection<Conversation>>> {
    const sort: ConversationSort = { field: 'CREATED_AT', order: 'DESC' };
    const cursor = page.after !== null ? decodeConversationCursor(page.after, sort) : null;
    const ids = customerIds.filter(isUuid);
    const result = new Map<string, Connection<Conversation>>();
    const grouped = new Map<string, Record<string, unknown>[]>();
    const counts = new Map<string, number>();
    if (ids.length > 0) {
      const where = and([...this.conditions({}), raw('c.customer_id = k.id')]);
      const [rows, totals] = await Promise.all([
        query(
          this.em,
          sql`select k.id as "__key", p.* from unnest(array[${ids}]::uuid[]) as k(id) cross join lateral (${this.pageSql(where, sort, cursor, page.first + 1, page.offset)}) p order by k.id, p.created_at desc, p.id desc`,
        ),
        query<{ customer_id: string; count: number }>(
          this.em,
          sql`select c.customer_id, count(*)::int as count from ${this.conversations} c where ${and(this.conditions({}))} and c.customer_id in (${ids}) group by c.customer_id`,
        ),
      ]);
      for (const row of rows) grouped.set(row.__key as string, [...(grouped.get(row.__key as string) ?? []), row]);
      for (const total of totals) counts.set(total.customer_id, total.count);
    }
    for (const id of customerIds) result.set(id, this.connection(grouped.get(id) ?? [], sort, page, counts.get(id) ?? 0));
    return result;
  }

  /** Each customer's latest `limit` conversations: one statement. */
  async recentByCustomer(customerIds: readonly string[], limit: number): Promise<Map<string, Conversation[]>> {
    const ids = customerIds.filter(isUuid);
    const result = new Map<string, Conversation[]>(customerIds.map((id) => [id, []]));
    if (ids.length === 0) return result;
    const where = and([...this.conditions({}), raw('c.customer_id = k.id')]);
    const rows = await query(
      this.em,
      sql`select k.id as "__key", p.* from unnest(array[${ids}]::uuid[]) as k(id) cross join lateral (select c.* from ${this.conversations} c where ${where} order by c.created_at desc, c.id desc limit ${limit}) p order by k.id, p.created_at desc, p.id desc`,
    );
    for (const row of rows) result.get(row.__key as string)?.push(this.toConversation(row));
    return result;
  }

  /** The latest message of each conversation, internal notes and deleted messages excluded: one statement. */
  async lastMessages(conversationIds: readonly string[]): Promise<Map<string, Message>> {
    const ids = conversationIds.filter(isUuid);
    const result = new Map<string, Message>();
    if (ids.length === 0) return result;
    const rows = await query(
      this.em,
      sql`select distinct on (m.conversation_id) m.* from ${this.messages} m where m.tenant_id = ${this.tenantId} and m.conversation_id in (${ids}) and m.deleted_at is null and not m.is_internal order by m.conversation_id, m.created_at desc, m.id desc`,
    );
    for (const row of rows) {
      const message = this.em.map(MessageEntity, row);
      result.set(message.conversationId, message);
    }
    return result;
  }

  /** Figures per customer (000's stats): one grouped statement. */
  async statsByCustomer(customerIds: readonly string[]): Promise<Map<string, CustomerConversationStats>> {
    const ids = customerIds.filter(isUuid);
    const result = new Map<string, CustomerConversationStats>();
    if (ids.length === 0) return result;
    const rows = await query<{ customer_id: string; total: number; open: number; avg_hours: string | null; last_contact_at: Date | null }>(
      this.em,
      sql`select c.customer_id, count(*)::int as total,
            count(*) filter (where c.state not in ('resolved', 'closed'))::int as open,
            avg(extract(epoch from (c.resolved_at - c.created_at)) / 3600) filter (where c.resolved_at is not null) as avg_hours,
            max(c.last_message_at) as last_contact_at
          from ${this.conversations} c where ${and(this.conditions({}))} and c.customer_id in (${ids}) group by c.customer_id`,
    );
    for (const row of rows) {
      result.set(row.customer_id, {
        totalConversations: row.total,
        openConversations: row.open,
        avgResolutionTimeHours: row.avg_hours === null ? null : Number(row.avg_hours),
        lastContactAt: row.last_contact_at,
      });
    }
    return result;
  }

  /** Histories of several conversations, each oldest first: one statement. */
  async histories(conversationIds: readonly string[]): Promise<Map<string, ConversationEvent[]>> {
    const ids = conversationIds.filter(isUuid);
    const result = new Map<string, ConversationEvent[]>(conversationIds.map((id) => [id, []]));
    if (ids.length === 0) return result;
    const events = await this.em.find(
      ConversationEventEntity,
      { conversationId: { $in: ids } },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    for (const event of events) result.get(event.conversationId)?.push(event);
    return result;
  }

  /**
   * Each customer's timeline page, newest first: conversation starts, messages and notes
   * (deleted ones excluded) and state changes, merged by `(occurred_at, id)` in one
   * statement; each branch is an index-ordered scan cut at the page size.
   */
  async timelines(customerIds: readonly string[], first: number, after: string | null): Promise<Map<string, TimelinePage>> {
    let cursor: KeysetCursor | null = null;
    if (after !== null) {
      const [value, id, ...rest] = decodeParts(after, 'after');
      if (rest.length > 0 || typeof value !== 'string' || !TIMESTAMP_TEXT.test(value) || !isUuid(id)) throw invalidCursor();
      cursor = { value, id };
    }
    const ids = customerIds.filter(isUuid);
    const result = new Map<string, TimelinePage>(customerIds.map((id) => [id, { rows: [], hasNextPage: false }]));
    if (ids.length === 0) return result;
    const limit = first + 1;
    const before = (occurred: string, id: string) =>
      cursor ? sql` and (${raw(occurred)}, ${raw(id)}) < (${cursor.value}::timestamptz, ${cursor.id}::uuid)` : raw('');
    const events = table(this.em, 'conversation_events');
    const branches = [
      sql`(select 'CONVERSATION_STARTED' as kind, c.id, c.created_at as occurred_at, c.id as conversation_id, null::uuid as message_id, null::uuid as event_id
           from ${this.conversations} c
           where c.tenant_id = ${this.tenantId} and c.customer_id = k.id and c.deleted_at is null${before('c.created_at', 'c.id')}
           order by c.created_at desc, c.id desc limit ${limit})`,
      sql`(select case when m.is_internal then 'NOTE' else 'MESSAGE' end, m.id, m.created_at, m.conversation_id, m.id, null::uuid
           from ${this.messages} m join ${this.conversations} c on c.id = m.conversation_id and c.deleted_at is null
           where m.tenant_id = ${this.tenantId} and m.customer_id = k.id and m.deleted_at is null${before('m.created_at', 'm.id')}
           order by m.created_at desc, m.id desc limit ${limit})`,
      sql`(select 'STATE_CHANGE', e.id, e.created_at, e.conversation_id, null::uuid, e.id
           from ${events} e join ${this.conversations} c on c.id = e.conversation_id
           where e.tenant_id = ${this.tenantId} and c.tenant_id = ${this.tenantId} and c.customer_id = k.id and c.deleted_at is null
             and e.type in (${[...TIMELINE_EVENT_TYPES]})${before('e.created_at', 'e.id')}
           order by e.created_at desc, e.id desc limit ${limit})`,
    ];
    const rows = await query<{
      __key: string;
      kind: TimelineRow['kind'];
      id: string;
      occurred_at: Date;
      occurred_text: string;
      conversation_id: string;
      message_id: string | null;
      event_id: string | null;
    }>(
      this.em,
      sql`select k.id as "__key", t.*, ${exactTimestamp(raw('t.occurred_at'))} as occurred_text
          from unnest(array[${ids}]::uuid[]) as k(id)
          cross join lateral (select * from (${joinSql(branches, ' union all ')}) entries order by occurred_at desc, id desc limit ${limit}) t
          order by k.id, t.occurred_at desc, t.id desc`,
    );
    for (const row of rows) {
      const page = result.get(row.__key);
      if (!page) continue;
      if (page.rows.length === first) {
        page.hasNextPage = true;
        continue;
      }
      page.rows.push({
        kind: row.kind,
        id: row.id,
        occurredAt: row.occurred_at,
        conversationId: row.conversation_id,
        messageId: row.message_id,
        eventId: row.event_id,
        cursor: encodeCursor([row.occurred_text, row.id]),
      });
    }
    return result;
  }
}
