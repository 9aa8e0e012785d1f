import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { Kind, parse } from 'graphql';

type Mappers = Record<string, string>;

/** Per subgraph: which TypeScript types back its GraphQL types. */
const subgraphs: Record<string, { mappers: Mappers }> = {
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
      AgentStatusChange: '../modules/agent-status/agent-status.types.js#AgentStatusChangeEvent',
    },
  },
  support: {
    mappers: {
      Organization: '../modules/organizations/organization.entity.js#Organization',
      OrganizationConnection: '../modules/organizations/organization.types.js#OrganizationConnection',
      Customer: '../modules/customers/customer.entity.js#Customer',
      CustomerConnection: '../modules/customers/customer.types.js#CustomerConnection',
      CustomerIdentity: '../modules/customers/customer-identity.entity.js#CustomerIdentity',
      CustomerStats: '../modules/customers/customer.types.js#CustomerStatsView',
      TimelineEntry: '../modules/customers/customer.types.js#TimelineEntryView',
      TimelineConnection: '../modules/customers/customer.types.js#TimelineConnection',
      ResolveCustomerPayload: '../modules/customers/customer.types.js#ResolveCustomerResult',
      MergeCustomersPayload: '../modules/customers/customer.types.js#MergeCustomersResult',
      Conversation: '../modules/conversations/conversation.entity.js#Conversation',
      ConversationConnection: '../modules/conversations/conversation.types.js#ConversationConnection',
      ConversationEvent: '../modules/conversations/conversation-event.entity.js#ConversationEvent',
      Message: '../modules/messages/message.entity.js#Message',
      MessageConnection: '../modules/messages/message.types.js#MessageConnection',
      Attachment: '../modules/messages/message.entity.js#MessageAttachment',
      Ticket: '../modules/conversations/conversation.entity.js#Conversation',
      TicketConnection: '../modules/tickets/ticket.types.js#TicketConnection',
      TicketComment: '../modules/messages/message.entity.js#Message',
      TicketTemplate: '../modules/tickets/ticket-template.entity.js#TicketTemplate',
      BulkTicketsPayload: '../modules/tickets/ticket.types.js#BulkTicketsResult',
      ConversationMessageEvent: '../modules/realtime/realtime.types.js#MessageAddedEvent',
      ConversationStateChange: '../modules/realtime/realtime.types.js#StateChangeEvent',
      ConversationAssignment: '../modules/realtime/realtime.types.js#AssignmentEvent',
      SlaAlert: '../modules/realtime/realtime.types.js#SlaAlertEvent',
      ChatChannel: '../modules/channels/chat-channel.entity.js#ChatChannel',
      ChatWidgetGrant: '../modules/channels/chat.types.js#ChatWidgetGrantView',
      ChatSession: '../modules/channels/chat.types.js#ChatSessionView',
      ChatSessionEvent: '../modules/channels/chat.types.js#ChatSessionEventView',
      ChatMessageEvent: '../modules/channels/chat.types.js#ChatMessageEventView',
      ChatTypingEvent: '../modules/channels/chat.types.js#ChatTypingEventView',
      ChatHandoverEvent: '../modules/channels/chat.types.js#ChatHandoverEventView',
    },
  },
  resolutions: {
    mappers: {
      Resolution: '../modules/resolutions/resolution.entity.js#Resolution',
      ResolutionConnection: '../modules/resolutions/resolutions.service.js#ResolutionConnection',
      ResolutionUpdate: '../modules/realtime/realtime.types.js#ResolutionUpdateEvent',
    },
  },
  campaigns: {
    mappers: {
      Campaign: '../modules/campaigns/campaign.entity.js#Campaign',
      CampaignConnection: '../modules/campaigns/campaigns.service.js#CampaignConnection',
      IncomingCall: '../modules/realtime/realtime.types.js#IncomingCallEvent',
      CallEnd: '../modules/realtime/realtime.types.js#CallEndEvent',
      CallAgentPresence: '../modules/realtime/realtime.types.js#CallAgentPresenceView',
    },
  },
  knowledge: {
    mappers: {
      Article: '../modules/articles/article.entity.js#Article',
      ArticleConnection: '../modules/articles/articles.service.js#ArticleConnection',
    },
  },
  analytics: {
    mappers: {
      Tenant: '../modules/tenant-activity/tenant-activity.service.js#TenantReference',
      TenantActivity: '../modules/tenant-activity/tenant-activity.service.js#TenantActivityView',
    },
  },
};

/** `{ ADMIN: 'admin', ... }` for each enum the subgraph lists in src/stored-enums.ts. */
function lowerCaseEnumValues(name: string): Record<string, Record<string, string>> {
  const listed = readFileSync(`subgraphs/${name}/src/stored-enums.ts`, 'utf8').split('=').pop() ?? '';
  const enumNames = [...listed.matchAll(/'(\w+)'/g)].map((match) => match[1]);
  const sdl = ['shared', name]
    .flatMap((folder) =>
      readdirSync(join('schema', folder))
        .filter((file) => file.endsWith('.graphql'))
        .map((file) => join('schema', folder, file)),
    )
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  const values: Record<string, Record<string, string>> = {};
  for (const definition of parse(sdl).definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION && enumNames.includes(definition.name.value)) {
      values[definition.name.value] = Object.fromEntries(
        (definition.values ?? []).map((value) => [value.name.value, value.name.value.toLowerCase()]),
      );
    }
  }
  return values;
}

/**
 * Enums with object enumValues get a `null` resolver type (graphql-code-generator#10204);
 * mapping each to its own generated type (the union of its stored values) restores it.
 */
function enumSelfMappers(name: string): Record<string, string> {
  return Object.fromEntries(Object.keys(lowerCaseEnumValues(name)).map((enumName) => [enumName, enumName]));
}

const config: CodegenConfig = {
  overwrite: true,
  generates: Object.fromEntries(
    Object.entries(subgraphs).map(([name, { mappers }]) => [
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
          mappers: { ...mappers, ...enumSelfMappers(name), SubgraphHealth: '@deskgraph/subgraph-kit#SubgraphHealthReport' },
          enumValues: lowerCaseEnumValues(name),
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
