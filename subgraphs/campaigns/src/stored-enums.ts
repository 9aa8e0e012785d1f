/**
 * GraphQL enums of this subgraph whose values are stored lower-case (`ADMIN` ↔ `admin`).
 * codegen.ts and the subgraph's resolvers both read this list; the values come from the SDL.
 */
export const lowerCaseEnums: readonly string[] = ['CampaignStatus', 'CallAgentStatus', 'CallDisposition'];
