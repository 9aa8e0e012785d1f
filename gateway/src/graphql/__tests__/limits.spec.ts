import { buildSchema, Kind, parse, validate, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { aliasLimit, depthLimit, estimateCost } from '../limits.js';

const schema = buildSchema(/* GraphQL */ `
  interface Node {
    id: ID!
  }
  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }
  type User implements Node {
    id: ID!
    name: String!
    teams: [Team!]!
    friends(first: Int): UserConnection!
  }
  type Team implements Node {
    id: ID!
    name: String!
    members(limit: Int): [User!]!
  }
  type UserEdge {
    cursor: String!
    node: User!
  }
  type UserConnection {
    edges: [UserEdge!]!
    nodes: [User!]!
    totalCount: Int!
    pageInfo: PageInfo!
  }
  type Query {
    user(id: ID!): User
    node(id: ID!): Node
    users(first: Int, after: String): UserConnection!
    teams(limit: Int): [Team!]!
    tags: [String!]!
    recentUsers(first: Int = 20): UserConnection!
  }
`);

/** The cost of the document's only operation, as the gateway plugin computes it. */
function cost(source: string, variables: Record<string, unknown> = {}): number {
  const document = parse(source);
  expect(validate(schema, document)).toEqual([]);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    if (definition.kind === Kind.OPERATION_DEFINITION) operation = definition;
  }
  if (!operation) throw new Error('no operation');
  return estimateCost(schema, operation, fragments, variables);
}

function limitErrors(source: string, rule: ReturnType<typeof depthLimit>): { message: string; code: unknown }[] {
  return validate(schema, parse(source), [rule]).map((error) => ({ message: error.message, code: error.extensions.code }));
}

describe('estimateCost', () => {
  it('counts one per field of single objects', () => {
    expect(cost('{ user(id: "1") { id name } }')).toBe(3);
  });

  it('multiplies the fields inside an unbounded list by 10', () => {
    // teams 1 + 10 × (id + name)
    expect(cost('{ teams { id name } }')).toBe(21);
    expect(cost('{ tags }')).toBe(1);
  });

  it('multiplies nested lists by each list’s size, taken from its page argument', () => {
    // teams 1 + 3 × (id + members) + 3 × 2 × id
    expect(cost('{ teams(limit: 3) { id members(limit: 2) { id } } }')).toBe(1 + 3 + 3 + 6);
    // an unbounded inner list counts 10 per outer item
    expect(cost('{ teams(limit: 3) { members { id } } }')).toBe(1 + 3 + 30);
  });

  it('sizes a connection’s edges and nodes by its `first` argument', () => {
    // users 1 + totalCount 1 + edges 1 + 5 × (cursor + node + id)
    expect(cost('{ users(first: 5) { totalCount edges { cursor node { id } } } }')).toBe(1 + 1 + 1 + 5 * 3);
    expect(cost('{ users(first: 50) { nodes { id name } } }')).toBe(1 + 1 + 50 * 2);
  });

  it('multiplies connections nested inside lists', () => {
    // users 1 + nodes 1 + 4 × (friends + nodes) + 4 × 3 × id
    expect(cost('{ users(first: 4) { nodes { friends(first: 3) { nodes { id } } } } }')).toBe(1 + 1 + 4 * 2 + 12);
  });

  it('reads page sizes from variables, and counts 10 when the variable is not a number', () => {
    const query = 'query ($n: Int) { users(first: $n) { nodes { id } } }';
    expect(cost(query, { n: 40 })).toBe(1 + 1 + 40);
    expect(cost(query, {})).toBe(1 + 1 + 10);
    expect(cost(query, { n: 'many' })).toBe(1 + 1 + 10);
  });

  it('takes the size from the variable’s default when the request leaves the variable out', () => {
    expect(cost('query ($n: Int = 100) { users(first: $n) { nodes { id } } }')).toBe(1 + 1 + 100);
    expect(cost('query ($n: Int = 100) { users(first: $n) { nodes { id } } }', { n: 3 })).toBe(1 + 1 + 3);
  });

  it('takes the size from the schema’s argument default when the query gives none', () => {
    expect(cost('{ recentUsers { nodes { id } } }')).toBe(1 + 1 + 20);
  });

  it('costs fields in named and inline fragments like the same fields written in place', () => {
    const inPlace = cost('{ teams(limit: 4) { id name members(limit: 2) { id } } }');
    expect(cost('{ teams(limit: 4) { ...TeamFields } } fragment TeamFields on Team { id name members(limit: 2) { id } }')).toBe(inPlace);
    expect(cost('{ teams(limit: 4) { ... on Team { id name members(limit: 2) { id } } } }')).toBe(inPlace);
  });

  it('follows type conditions of fragments on interfaces', () => {
    // node 1 + id 1 + teams 1 + 10 × id
    expect(cost('{ node(id: "1") { id ... on User { teams { id } } } }')).toBe(1 + 1 + 1 + 10);
  });

  it('does not charge introspection fields', () => {
    expect(cost('{ __typename user(id: "1") { __typename id } }')).toBe(2);
  });

  it('grows without bound as pages grow, so a maximum can refuse big requests', () => {
    const deep = 'query ($n: Int) { users(first: $n) { nodes { friends(first: $n) { nodes { friends(first: $n) { nodes { id } } } } } } }';
    expect(cost(deep, { n: 100 })).toBeGreaterThan(1_000_000);
    expect(cost(deep, { n: 2 })).toBeLessThan(50);
  });

  it('costs nothing for an operation type the schema does not have', () => {
    const operation = parse('mutation { anything }').definitions[0] as OperationDefinitionNode;
    expect(estimateCost(schema, operation, {}, {})).toBe(0);
  });
});

describe('depthLimit', () => {
  it('accepts an operation at the limit and refuses one a level deeper with VALIDATION_ERROR', () => {
    // users > nodes > teams > id: depth 4
    const query = '{ users { nodes { teams { id } } } }';
    expect(limitErrors(query, depthLimit(4))).toEqual([]);
    expect(limitErrors(query, depthLimit(3))).toEqual([{ message: 'Query depth 4 exceeds the limit of 3', code: 'VALIDATION_ERROR' }]);
  });

  it('counts the depth inside named and inline fragments', () => {
    const viaFragment = '{ users { ...Deep } } fragment Deep on UserConnection { nodes { friends { nodes { id } } } }';
    expect(limitErrors(viaFragment, depthLimit(4))).toEqual([
      { message: 'Query depth 5 exceeds the limit of 4', code: 'VALIDATION_ERROR' },
    ]);
    const inline = '{ node(id: "1") { ... on User { teams { members { id } } } } }';
    expect(limitErrors(inline, depthLimit(3))).toEqual([{ message: 'Query depth 4 exceeds the limit of 3', code: 'VALIDATION_ERROR' }]);
  });

  it('measures the deepest branch, not the sum of branches', () => {
    expect(limitErrors('{ user(id: "1") { id name teams { id } } tags }', depthLimit(3))).toEqual([]);
  });

  it('ignores introspection, so tools can load the schema', () => {
    const introspection = '{ __schema { types { fields { type { ofType { ofType { name } } } } } } }';
    expect(limitErrors(introspection, depthLimit(2))).toEqual([]);
  });

  it('checks every operation of a document separately', () => {
    const document = 'query Shallow { tags } query Deep { users { nodes { teams { id } } } }';
    expect(limitErrors(document, depthLimit(3))).toHaveLength(1);
  });
});

describe('aliasLimit', () => {
  it('accepts up to the limit and refuses more with the count', () => {
    const three = '{ a: tags b: tags c: tags }';
    expect(limitErrors(three, aliasLimit(3))).toEqual([]);
    expect(limitErrors(three, aliasLimit(2))).toEqual([
      { message: 'The document has 3 aliases; the limit is 2', code: 'VALIDATION_ERROR' },
    ]);
  });

  it('counts aliases in nested selections and fragments across the whole document', () => {
    const document = '{ one: user(id: "1") { x: id ...F } } fragment F on User { y: name z: id }';
    expect(limitErrors(document, aliasLimit(3))).toEqual([
      { message: 'The document has 4 aliases; the limit is 3', code: 'VALIDATION_ERROR' },
    ]);
  });

  it('does not count plain fields', () => {
    expect(limitErrors('{ tags user(id: "1") { id name } }', aliasLimit(0))).toEqual([]);
  });
});
