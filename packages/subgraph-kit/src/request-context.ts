import DataLoader from 'dataloader';
import type { EntityName, FilterQuery } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Caller } from '@deskgraph/auth';
import { requireCaller } from '@deskgraph/auth';
import { tenantEntityManager } from '@deskgraph/database';
import type { Logger } from '@deskgraph/runtime';
import { isUuid } from '@deskgraph/validation';
import type { DomainEvent, EventBus } from '@deskgraph/events';
import { eventStream } from './event-stream.js';

/** What every resolver of every subgraph receives. */
export interface RequestContext {
  requestId: string;
  logger: Logger;
  /** The verified caller, or null for public operations (login, register). */
  readonly caller: Caller | null;
  /**
   * Makes a user who just signed in (login, registration, refresh) the caller for the rest
   * of this request, so the fields of the answer resolve as that user would see them.
   */
  actAs(caller: Caller): void;
  /** An EntityManager that only sees the caller's tenant; UNAUTHORIZED without a caller. */
  em(): EntityManager;
  /** A per-request DataLoader, created on first use under `key`. */
  loader<K, V>(key: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V>;
  /**
   * An entity of the caller's tenant by id, batched per request (one query per entity type);
   * unknown ids, other tenants' rows and ids that are not UUIDs are null. `where` narrows further.
   */
  byId<T extends { id: string }>(entity: EntityName<T>, id: string, where?: FilterQuery<T>): Promise<T | null>;
  /**
   * Live domain events of the caller's tenant for a subscription resolver. Before each event
   * the request's loaders and EntityManager start afresh, so every event reads current data.
   */
  events(types: readonly string[], filter?: (event: DomainEvent) => boolean): AsyncIterableIterator<DomainEvent>;
}

export function createRequestContext(
  orm: MikroORM,
  bus: EventBus,
  caller: Caller | null,
  requestId: string,
  logger: Logger,
): RequestContext {
  let em: EntityManager | null = null;
  const loaders = new Map<string, DataLoader<unknown, unknown>>();
  let current = caller;
  const context: RequestContext = {
    requestId,
    logger,
    get caller() {
      return current;
    },
    actAs(next) {
      if (current && current.tenantId !== next.tenantId) em = null;
      current = next;
    },
    em() {
      em ??= tenantEntityManager(orm.em as EntityManager, requireCaller(current).tenantId);
      return em;
    },
    loader<K, V>(key: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V> {
      let loader = loaders.get(key) as DataLoader<K, V> | undefined;
      if (!loader) {
        loader = new DataLoader<K, V>(batch);
        loaders.set(key, loader as DataLoader<unknown, unknown>);
      }
      return loader;
    },
    byId<T extends { id: string }>(entity: EntityName<T>, id: string, where?: FilterQuery<T>): Promise<T | null> {
      const name = typeof entity === 'string' ? entity : (entity as { name: string }).name;
      return context
        .loader<string, T | null>(`byId:${name}:${JSON.stringify(where ?? {})}`, async (ids) => {
          const valid = ids.filter(isUuid);
          const rows =
            valid.length > 0
              ? await context.em().find(entity, { ...(where as object), id: { $in: valid } } as unknown as FilterQuery<T>)
              : [];
          const byKey = new Map(rows.map((row) => [row.id, row as T]));
          return ids.map((key) => byKey.get(key) ?? null);
        })
        .load(id);
    },
    events(types, filter) {
      const tenantId = requireCaller(current).tenantId;
      return eventStream(bus, {
        types,
        filter: (event) => event.tenantId === tenantId && (!filter || filter(event)),
        beforeEach: () => {
          loaders.clear();
          em = null;
        },
      });
    },
  };
  return context;
}
