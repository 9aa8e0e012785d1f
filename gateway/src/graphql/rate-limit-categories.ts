import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { RateLimitCategory } from '../options.js';

const TAG_PREFIX = 'rate-limit:';
const STRICTEST_FIRST: RateLimitCategory[] = ['ai', 'search', 'webhook', 'standard'];

/**
 * Root fields declare their rate-limit category in the SDL with
 * `@tag(name: "rate-limit:search")` (or `ai`); untagged fields are `standard`.
 * Returns `Query.field` / `Mutation.field` → category, read from the supergraph.
 */
export function rateLimitCategories(supergraphSdl: string): Map<string, RateLimitCategory> {
  const categories = new Map<string, RateLimitCategory>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      for (const directive of field.directives ?? []) {
        if (directive.name.value !== 'tag') continue;
        const name = directive.arguments?.find((argument) => argument.name.value === 'name')?.value;
        if (name?.kind !== Kind.STRING || !name.value.startsWith(TAG_PREFIX)) continue;
        const category = name.value.slice(TAG_PREFIX.length) as RateLimitCategory;
        if (STRICTEST_FIRST.includes(category)) categories.set(`${definition.name.value}.${field.name.value}`, category);
      }
    }
  }
  return categories;
}

/** The strictest category among an operation's root fields, also those selected through fragments. */
export function categoryOf(
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  categories: Map<string, RateLimitCategory>,
): RateLimitCategory {
  const rootType = operation.operation === 'query' ? 'Query' : operation.operation === 'mutation' ? 'Mutation' : 'Subscription';
  const found = new Set<RateLimitCategory>();
  const visit = (selectionSet: SelectionSetNode, seen: Set<string>): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) found.add(categories.get(`${rootType}.${selection.name.value}`) ?? 'standard');
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet, seen);
      else {
        const fragment = fragments[selection.name.value];
        if (fragment && !seen.has(fragment.name.value)) visit(fragment.selectionSet, new Set([...seen, fragment.name.value]));
      }
    }
  };
  visit(operation.selectionSet, new Set());
  return STRICTEST_FIRST.find((category) => found.has(category)) ?? 'standard';
}
