import { Cursor, CursorError, type EntityName, type FilterQuery, type FindByCursorOptions, type QueryOrderMap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationError } from '@deskgraph/errors';
import { isUuid } from '@deskgraph/validation';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  first: number;
  after: string | null;
  /** Offset pagination, for page-numbered clients (the REST documents); excludes `after`. */
  offset: number | null;
}

/** A Relay connection, ready for the GraphQL `<Type>Connection` shape. */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  /**
   * The total, or a function counting it: GraphQL's default resolver calls it only when a
   * client selects `totalCount`, so a list nobody counts costs no count statement.
   */
  totalCount: number | (() => Promise<number>);
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** A connection's total, counting it now if it was left for later. */
export async function totalOf(connection: Pick<Connection<unknown>, 'totalCount'>): Promise<number> {
  return typeof connection.totalCount === 'function' ? connection.totalCount() : connection.totalCount;
}

/** Validates Relay arguments: `first` in 1..100 (default 20), an opaque `after` cursor or an `offset`. */
export function pageRequest(args: { first?: number | null; after?: string | null; offset?: number | null }): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new ValidationError([{ field: 'first', message: `must be between 1 and ${MAX_PAGE_SIZE}` }]);
  }
  const offset = args.offset ?? null;
  if (offset !== null && (!Number.isInteger(offset) || offset < 0)) {
    throw new ValidationError([{ field: 'offset', message: 'must be zero or more' }]);
  }
  if (offset !== null && args.after) throw new ValidationError([{ field: 'offset', message: 'cannot be combined with after' }]);
  return { first, after: args.after ?? null, offset };
}

/**
 * A page in a stable order (the last order key must be unique, e.g. id), with the total
 * count: keyset pagination after a cursor, or offset pagination. Bad cursors answer VALIDATION_ERROR.
 */
export async function findPage<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  orderBy: QueryOrderMap<T>,
  page: PageRequest,
): Promise<Connection<T>> {
  if (page.offset !== null) return findOffsetPage(em, entity, where, orderBy, page.first, page.offset);
  if (page.after !== null) assertValidCursor(em, entity, orderBy, page.after);
  let cursor: Cursor<T, never, '*', never, true>;
  try {
    cursor = await em.findByCursor(entity, where, {
      first: page.first,
      after: page.after ?? undefined,
      orderBy,
      includeCount: true,
    } as FindByCursorOptions<T, never, '*', never, true>);
  } catch (error) {
    if (error instanceof CursorError) throw invalidCursor();
    throw error;
  }
  return {
    edges: cursor.items.map((node) => ({ cursor: cursor.from(node), node })),
    nodes: cursor.items,
    totalCount: cursor.totalCount,
    pageInfo: {
      hasNextPage: cursor.hasNextPage ?? false,
      hasPreviousPage: cursor.hasPrevPage ?? false,
      startCursor: cursor.startCursor,
      endCursor: cursor.endCursor,
    },
  };
}

function invalidCursor(): ValidationError {
  return new ValidationError([{ field: 'after', message: 'is not a valid cursor' }]);
}

function metadataOf<T extends object>(em: EntityManager, entity: EntityName<T>) {
  return em.getMetadata().get<T>(typeof entity === 'string' ? entity : (entity as { name: string }).name);
}

/**
 * Cursors come back from clients: before one reaches SQL, it must hold one value of the
 * right type per order key (a forged cursor is a VALIDATION_ERROR, never a SQL error).
 */
function assertValidCursor<T extends object>(em: EntityManager, entity: EntityName<T>, orderBy: QueryOrderMap<T>, after: string): void {
  let values: unknown[];
  try {
    const decoded = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(decoded)) throw invalidCursor();
    values = Cursor.decode(after);
  } catch {
    throw invalidCursor();
  }
  const keys = Object.keys(orderBy);
  const properties = metadataOf(em, entity).properties as Record<string, { runtimeType: string; columnTypes: string[] }>;
  if (values.length !== keys.length) throw invalidCursor();
  keys.forEach((key, index) => {
    const value = values[index];
    const property = properties[key];
    const valid =
      property?.runtimeType === 'Date'
        ? value instanceof Date && !Number.isNaN(value.getTime())
        : property?.columnTypes[0] === 'uuid'
          ? isUuid(value)
          : typeof value === property?.runtimeType;
    if (!valid) throw invalidCursor();
  });
}

async function findOffsetPage<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  orderBy: QueryOrderMap<T>,
  first: number,
  offset: number,
): Promise<Connection<T>> {
  const [nodes, totalCount] = await em.findAndCount(entity, where, { orderBy, limit: first, offset } as never);
  const meta = metadataOf(em, entity);
  const edges = (nodes as T[]).map((node) => ({ cursor: Cursor.for<T>(meta, node as never, orderBy as never), node }));
  return {
    edges,
    nodes: nodes as T[],
    totalCount,
    pageInfo: {
      hasNextPage: offset + edges.length < totalCount,
      hasPreviousPage: offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
