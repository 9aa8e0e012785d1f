import type { CodegenConfig } from '@graphql-codegen/cli';

type Mappers = Record<string, string>;
type EnumValues = Record<string, Record<string, string>>;

/** Per subgraph: which TypeScript types back its GraphQL types, and enums stored lower-case. */
const subgraphs: Record<string, { mappers: Mappers; enumValues: EnumValues }> = {
  identity: {
    mappers: {
      Tenant: '../modules/tenants/tenant.entity.js#Tenant',
      User: '../modules/users/user.entity.js#User',
      UserConnection: '../modules/users/user.repository.js#UserConnection',
      Team: '../modules/teams/team.entity.js#Team',
      TeamConnection: '../modules/teams/teams.service.js#TeamConnection',
      ApiKey: '../modules/api-keys/api-key.entity.js#ApiKey',
      ApiKeyGrant: '../modules/api-keys/api-keys.service.js#ApiKeyGrant',
      AuthPayload: '../modules/auth/auth.service.js#AuthPayload',
      Preferences: '../modules/preferences/preferences.service.js#PreferencesView',
    },
    enumValues: {
      Role: { ADMIN: 'admin', AGENT: 'agent', CUSTOMER: 'customer' },
      Scope: { READ: 'read', WRITE: 'write', ADMIN: 'admin' },
      Theme: { LIGHT: 'light', DARK: 'dark', SYSTEM: 'system' },
    },
  },
  support: { mappers: {}, enumValues: {} },
  resolutions: { mappers: {}, enumValues: {} },
  campaigns: { mappers: {}, enumValues: {} },
  knowledge: { mappers: {}, enumValues: {} },
  analytics: { mappers: {}, enumValues: {} },
};

const config: CodegenConfig = {
  overwrite: true,
  generates: Object.fromEntries(
    Object.entries(subgraphs).map(([name, { mappers, enumValues }]) => [
      `subgraphs/${name}/src/__generated__/resolvers-types.ts`,
      {
        schema: ['schema/shared/*.graphql', `schema/${name}/*.graphql`],
        plugins: ['typescript', 'typescript-resolvers'],
        config: {
          federation: true,
          useIndexSignature: true,
          useTypeImports: true,
          enumsAsTypes: true,
          mapperTypeSuffix: 'Model',
          contextType: '../context.js#SubgraphContext',
          mappers: { ...mappers, SubgraphHealth: '@deskgraph/subgraph-kit#SubgraphHealthReport' },
          enumValues,
          scalars: { DateTime: 'Date', JSON: 'unknown' },
          avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
          maybeValue: 'T | null',
          inputMaybeValue: 'T | null | undefined',
          resolverTypeWrapperSignature: 'Promise<T> | T',
        },
      },
    ]),
  ),
};

export default config;
