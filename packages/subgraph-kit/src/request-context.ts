import DataLoader from 'dataloader';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Caller } from '@deskgraph/auth';
import { requireCaller } from '@deskgraph/auth';
import { tenantEntityManager } from '@deskgraph/database';
import type { Logger } from '@deskgraph/runtime';

/** What every resolver of every subgraph receives. */
export interface RequestContext {
  requestId: string;
  logger: Logger;
  /** The verified caller, or null for public operations (login, register). */
  caller: Caller | null;
  /** An EntityManager that only sees the caller's tenant; UNAUTHORIZED without a caller. */
  em(): EntityManager;
  /** A per-request DataLoader, created on first use under `key`. */
  loader<K, V>(key: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V>;
}

export function createRequestContext(orm: MikroORM, caller: Caller | null, requestId: string, logger: Logger): RequestContext {
  let em: EntityManager | null = null;
  const loaders = new Map<string, DataLoader<unknown, unknown>>();
  return {
    requestId,
    logger,
    caller,
    em() {
      em ??= tenantEntityManager(orm.em as EntityManager, requireCaller(caller).tenantId);
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
  };
}
