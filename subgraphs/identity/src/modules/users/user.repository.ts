import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { findPage, type Connection, type PageRequest } from '@deskgraph/database';
import { isUuid } from '@deskgraph/validation';
import type { Role } from '@deskgraph/auth';
import { TeamMemberEntity } from '../teams/team.entity.js';
import { UserEntity, type User } from './user.entity.js';

export interface UserListFilter {
  role?: Role | null;
  teamId?: string | null;
  isActive?: boolean | null;
  search?: string | null;
}

/** Queries for users; the EntityManager passed in decides the tenant. */
export class UserRepository {
  constructor(private readonly em: EntityManager) {}

  async list(filter: UserListFilter, page: PageRequest): Promise<Connection<User>> {
    const where: FilterQuery<User> = {};
    if (filter.role) where.role = filter.role;
    if (filter.isActive !== null && filter.isActive !== undefined) where.isActive = filter.isActive;
    if (filter.search) {
      const pattern = `%${filter.search.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
      where.$or = [{ email: { $ilike: pattern } }, { firstName: { $ilike: pattern } }, { lastName: { $ilike: pattern } }];
    }
    if (filter.teamId) {
      const memberships = isUuid(filter.teamId) ? await this.em.find(TeamMemberEntity, { team: filter.teamId }) : [];
      where.id = { $in: memberships.map((membership) => membership.user.id) };
    }
    return findPage(this.em, UserEntity, where, { createdAt: 'desc', id: 'desc' }, page);
  }
}
export type UserConnection = Connection<User>;
