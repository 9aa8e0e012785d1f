import { CursorError } from '@mikro-orm/core';
import type { Cursor, FindByCursorOptions, FilterQuery, EntityName, QueryOrderMap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationError } from '@deskgraph/errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  first: number;
  after: string | null;
}

/** A Relay connection, ready for the GraphQL `<Type>Connection` shape. */
export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** Validates Relay arguments: `first` in 1..100 (default 20) and an opaque `after` cursor. */
export function pageRequest(args: { first?: number | null; after?: string | null }): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new ValidationError([{ field: 'first', message: `must be between 1 and ${MAX_PAGE_SIZE}` }]);
  }
  return { first, after: args.after ?? null };
}

/**
 * Keyset pagination over a stable order (the last order key must be unique, e.g. id),
 * with the total count; bad cursors answer VALIDATION_ERROR.
 */
export async function findPage<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  orderBy: QueryOrderMap<T>,
  page: PageRequest,
): Promise<Connection<T>> {
  let cursor: Cursor<T, never, '*', never, true>;
  try {
    cursor = await em.findByCursor(entity, where, {
      first: page.first,
      after: page.after ?? undefined,
      orderBy,
      includeCount: true,
    } as FindByCursorOptions<T, never, '*', never, true>);
  } catch (error) {
    if (error instanceof CursorError) {
      throw new ValidationError([{ field: 'after', message: 'is not a valid cursor' }]);
    }
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
