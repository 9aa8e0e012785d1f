import {
  GraphQLError,
  Kind,
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type GraphQLField,
  type GraphQLCompositeType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
  type ValueNode,
} from 'graphql';

function limitError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'VALIDATION_ERROR' } });
}

const isIntrospection = (field: FieldNode): boolean => field.name.value.startsWith('__');

/** Refuses operations nested deeper than `maxDepth` fields (introspection excluded). */
export function depthLimit(maxDepth: number): ValidationRule {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const depthOf = (selectionSet: SelectionSetNode, seen: Set<string>): number => {
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          if (isIntrospection(selection)) continue;
          deepest = Math.max(deepest, 1 + (selection.selectionSet ? depthOf(selection.selectionSet, seen) : 0));
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, seen));
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (!fragment || seen.has(name)) continue;
          deepest = Math.max(deepest, depthOf(fragment.selectionSet, new Set([...seen, name])));
        }
      }
      return deepest;
    };
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, new Set());
        if (depth > maxDepth) context.reportError(limitError(`Query depth ${depth} exceeds the limit of ${maxDepth}`));
      },
    };
  };
}

/** Refuses documents with more than `maxAliases` aliases (alias-based amplification). */
export function aliasLimit(maxAliases: number): ValidationRule {
  return (context) => {
    let aliases = 0;
    return {
      Field(field) {
        if (field.alias) aliases++;
      },
      Document: {
        leave() {
          if (aliases > maxAliases) context.reportError(limitError(`The document has ${aliases} aliases; the limit is ${maxAliases}`));
        },
      },
    };
  };
}

const PAGE_ARGUMENTS = ['first', 'last', 'limit', 'pageSize'];
const DEFAULT_LIST_SIZE = 10;

function argumentValue(value: ValueNode, variables: Record<string, unknown>): number | null {
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const variable = variables[value.name.value];
    return typeof variable === 'number' ? variable : null;
  }
  return null;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/**
 * An estimate of how many fields an operation resolves: each field costs 1 times the
 * size of the lists around it; page arguments (`first`, `limit`, ...) give a list's size,
 * unbounded lists count as 10.
 */
export function estimateCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  provided: Record<string, unknown>,
): number {
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  // Variables the request left out take the operation's defaults.
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (name in provided) variables[name] = provided[name];
    else if (definition.defaultValue?.kind === Kind.INT) variables[name] = Number(definition.defaultValue.value);
  }
  // An argument left out of the query takes the schema's default (e.g. `first: Int = 20`).
  const defaultPageSize = (field: GraphQLField<unknown, unknown>): number | null => {
    const argument = field.args.find((candidate) => PAGE_ARGUMENTS.includes(candidate.name) && typeof candidate.defaultValue === 'number');
    return (argument?.defaultValue as number | undefined) ?? null;
  };
  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    multiplier: number,
    pageSize: number | null,
    seen: Set<string>,
  ): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (isIntrospection(selection)) continue;
        const field: GraphQLField<unknown, unknown> | undefined =
          isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
        cost += multiplier;
        if (!field || !selection.selectionSet) continue;
        const pageArgument = selection.arguments?.find((argument) => PAGE_ARGUMENTS.includes(argument.name.value));
        const explicit = (pageArgument ? argumentValue(pageArgument.value, variables) : null) ?? defaultPageSize(field);
        const listSize = isList(field.type) ? (explicit ?? pageSize ?? DEFAULT_LIST_SIZE) : 1;
        const childPageSize = isList(field.type) ? null : (explicit ?? pageSize);
        cost += walk(selection.selectionSet, getNamedType(field.type) as GraphQLCompositeType, multiplier * listSize, childPageSize, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType) : parent;
        cost += walk(selection.selectionSet, type ?? parent, multiplier, pageSize, seen);
      } else {
        const fragment = fragments[selection.name.value];
        if (!fragment || seen.has(fragment.name.value)) continue;
        const type = (schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined) ?? parent;
        cost += walk(fragment.selectionSet, type, multiplier, pageSize, new Set([...seen, fragment.name.value]));
      }
    }
    return cost;
  };
  return walk(operation.selectionSet, root, 1, null, new Set());
}
