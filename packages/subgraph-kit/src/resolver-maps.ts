import { Kind, type DocumentNode } from 'graphql';

/** Merges resolver maps type by type (modules each contribute fields of Query, Mutation, ...). */
export function mergeResolvers(parts: readonly object[]): Record<string, Record<string, unknown>> {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const part of parts) {
    for (const [type, fields] of Object.entries(part)) {
      // Scalars are class instances: they replace, never merge.
      merged[type] =
        fields instanceof Object && fields.constructor !== Object ? fields : { ...merged[type], ...(fields as Record<string, unknown>) };
    }
  }
  return merged;
}

/** Internal values for enums stored lower-case: `{ Role: { ADMIN: 'admin', ... } }`, read from the SDL. */
export function lowerCaseEnumResolvers(typeDefs: DocumentNode, enumNames: readonly string[]): Record<string, Record<string, string>> {
  const resolvers: Record<string, Record<string, string>> = {};
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || !enumNames.includes(definition.name.value)) continue;
    resolvers[definition.name.value] = Object.fromEntries(
      (definition.values ?? []).map((value) => [value.name.value, value.name.value.toLowerCase()]),
    );
  }
  const missing = enumNames.filter((name) => !(name in resolvers));
  if (missing.length > 0) throw new Error(`stored-enums.ts lists enums the SDL does not define: ${missing.join(', ')}`);
  return resolvers;
}
