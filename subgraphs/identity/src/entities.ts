import { ApiKeyEntity } from './modules/api-keys/api-key.entity.js';
import { RefreshTokenEntity } from './modules/auth/refresh-token.entity.js';
import { PreferenceEntity } from './modules/preferences/preference.entity.js';
import { TeamEntity, TeamMemberEntity } from './modules/teams/team.entity.js';
import { TenantEntity } from './modules/tenants/tenant.entity.js';
import { UserEntity } from './modules/users/user.entity.js';

/** Every entity of the identity schema. */
export const entities = [TenantEntity, UserEntity, TeamEntity, TeamMemberEntity, RefreshTokenEntity, ApiKeyEntity, PreferenceEntity];
