import type { EntityManager } from '@mikro-orm/postgresql';
import type { Connection } from '@deskgraph/database';
import { isUuid } from '@deskgraph/validation';
import type { Channel } from '../conversations/conversation.entity.js';
import { and, query, raw, sql, table, type Sql } from '../conversations/sql.js';
import { MessageAttachmentEntity, MessageEntity, type Direction, type Message, type MessageAttachment } from './message.entity.js';

export interface MessageListFilter {
  channel?: Channel[];
  direction?: Direction[];
  /** Internal notes too (default). */
  includeInternal?: boolean;
}

/** A page of one conversation's messages, oldest first, between message ids. */
export interface MessageWindow {
  limit: number;
  /** Only messages after this one (its id; it must belong to the conversation). */
  after: Message | null;
  /** Only messages before this one. */
  before: Message | null;
}

/** Message queries of one tenant; deleted messages are never listed. */
export class MessageRepository {
  constructor(
    private readonly em: EntityManager,
    private readonly tenantId: string,
  ) {}

  private get messages(): Sql {
    return table(this.em, 'messages');
  }

  private conditions(filter: MessageListFilter): Sql[] {
    const conditions = [sql`m.tenant_id = ${this.tenantId}`, raw('m.deleted_at is null')];
    if (filter.channel?.length) conditions.push(sql`m.channel in (${filter.channel})`);
    if (filter.direction?.length) conditions.push(sql`m.direction in (${filter.direction})`);
    if (filter.includeInternal === false) conditions.push(raw('not m.is_internal'));
    return conditions;
  }

  /** `(created_at, id)` of a message, read in SQL so the comparison keeps microseconds. */
  private position(id: string): Sql {
    return sql`(select r.created_at, r.id from ${this.messages} r where r.id = ${id} and r.tenant_id = ${this.tenantId})`;
  }

  private toConnection(rows: Record<string, unknown>[], hasNextPage: boolean, hasPreviousPage: boolean, totalCount: number) {
    const nodes = rows.map((row) => this.em.map(MessageEntity, row));
    const edges = nodes.map((node) => ({ cursor: node.id, node }));
    return {
      edges,
      nodes,
      totalCount,
      pageInfo: { hasNextPage, hasPreviousPage, startCursor: nodes[0]?.id ?? null, endCursor: nodes.at(-1)?.id ?? null },
    } satisfies Connection<Message>;
  }

  /**
   * One conversation's messages, oldest first: after `after` (or from the start) forwards,
   * or the `limit` right before `before` when only that is given. Two statements: the page,
   * and the total with what lies outside the window (for hasNext/PreviousPage).
   */
  async window(conversationId: string, filter: MessageListFilter, window: MessageWindow): Promise<Connection<Message>> {
    const where = [...this.conditions(filter), sql`m.conversation_id = ${conversationId}`];
    const afterCondition = window.after ? sql`(m.created_at, m.id) > ${this.position(window.after.id)}` : null;
    const beforeCondition = window.before ? sql`(m.created_at, m.id) < ${this.position(window.before.id)}` : null;
    const bounded = and([...where, ...(afterCondition ? [afterCondition] : []), ...(beforeCondition ? [beforeCondition] : [])]);
    const backwards = window.before !== null && window.after === null;
    const order = raw(backwards ? 'm.created_at desc, m.id desc' : 'm.created_at asc, m.id asc');
    const outside = (position: Sql | null) => (position ? sql`count(*) filter (where not ${position})::int` : raw('0'));
    const [rows, [counts]] = await Promise.all([
      query(this.em, sql`select m.* from ${this.messages} m where ${bounded} order by ${order} limit ${window.limit + 1}`),
      query<{ total: number; earlier: number; later: number }>(
        this.em,
        sql`select count(*)::int as total, ${outside(afterCondition)} as earlier, ${outside(beforeCondition)} as later
            from ${this.messages} m where ${and(where)}`,
      ),
    ]);
    const more = rows.length > window.limit;
    const page = rows.slice(0, window.limit);
    if (backwards) page.reverse();
    const total = counts?.total ?? 0;
    return backwards
      ? this.toConnection(page, (counts?.later ?? 0) > 0, more, total)
      : this.toConnection(page, more, (counts?.earlier ?? 0) > 0, total);
  }

  /**
   * The first page of several conversations' messages after the same cursor (Conversation.messages
   * of a list of conversations): two statements for all of them.
   */
  async firstPages(
    conversationIds: readonly string[],
    filter: MessageListFilter,
    first: number,
    after: Message | null,
  ): Promise<Map<string, Connection<Message>>> {
    const ids = conversationIds.filter(isUuid);
    const grouped = new Map<string, Record<string, unknown>[]>(conversationIds.map((id) => [id, []]));
    const totals = new Map<string, number>();
    if (ids.length > 0) {
      const where = this.conditions(filter);
      const keyset = after ? [sql`(m.created_at, m.id) > ${this.position(after.id)}`] : [];
      const [rows, counts] = await Promise.all([
        query(
          this.em,
          sql`select k.id as "__key", p.* from unnest(array[${ids}]::uuid[]) as k(id)
              cross join lateral (select m.* from ${this.messages} m where ${and([...where, raw('m.conversation_id = k.id'), ...keyset])}
                                  order by m.created_at asc, m.id asc limit ${first + 1}) p
              order by k.id, p.created_at asc, p.id asc`,
        ),
        query<{ conversation_id: string; total: number }>(
          this.em,
          sql`select m.conversation_id, count(*)::int as total from ${this.messages} m
              where ${and(where)} and m.conversation_id in (${ids}) group by m.conversation_id`,
        ),
      ]);
      for (const row of rows) {
        const key = row.__key as string;
        delete row.__key;
        grouped.get(key)?.push(row);
      }
      for (const count of counts) totals.set(count.conversation_id, count.total);
    }
    const result = new Map<string, Connection<Message>>();
    for (const [id, rows] of grouped) {
      result.set(id, this.toConnection(rows.slice(0, first), rows.length > first, after !== null, totals.get(id) ?? 0));
    }
    return result;
  }

  /** Attachments of several messages, oldest first: one statement. */
  async attachments(messageIds: readonly string[]): Promise<Map<string, MessageAttachment[]>> {
    const ids = messageIds.filter(isUuid);
    const result = new Map<string, MessageAttachment[]>(messageIds.map((id) => [id, []]));
    if (ids.length === 0) return result;
    const rows = await this.em.find(MessageAttachmentEntity, { messageId: { $in: ids } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    for (const row of rows) result.get(row.messageId)?.push(row);
    return result;
  }
}
