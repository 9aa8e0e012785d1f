/**
 * GraphQL enums of this subgraph whose values are stored lower-case (`ACTIVE` ↔ `active`).
 * codegen.ts and the subgraph's resolvers both read this list; the values come from the SDL.
 */
export const lowerCaseEnums: readonly string[] = [
  'CustomerStatus',
  'IdentityKind',
  'Channel',
  'ConversationState',
  'Sentiment',
  'ConversationEventType',
  'Direction',
  'SenderType',
  'ContentType',
  'DeliveryStatus',
];
