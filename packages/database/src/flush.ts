import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError } from '@deskgraph/errors';

/** Flushes the unit of work; a unique-constraint violation (a lost race) becomes CONFLICT. */
export async function flushOrConflict(em: EntityManager, message: string): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new ConflictError(message);
    throw error;
  }
}
