import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { categoryOf, rateLimitCategories } from '../rate-limit-categories.js';

const SDL = /* GraphQL */ `
  directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT
  type Article {
    id: ID!
    related: [Article!]! @tag(name: "rate-limit:search")
  }
  type Query {
    me: String
    searchArticles(text: String!): [Article!]! @tag(name: "rate-limit:search")
    suggestReply(conversationId: ID!): String @tag(name: "rate-limit:ai") @tag(name: "internal")
    labelled: String @tag(name: "team:support")
    unknownCategory: String @tag(name: "rate-limit:turbo")
  }
  type Mutation {
    updateProfile(name: String!): String
    draftReply(conversationId: ID!): String @tag(name: "rate-limit:ai")
  }
  extend type Query {
    searchCustomers(text: String!): [String!]! @tag(name: "rate-limit:search")
  }
  type Subscription {
    inboundWebhook: String @tag(name: "rate-limit:webhook")
  }
`;

const categories = rateLimitCategories(SDL);

/** The operation and the fragments of a document, as the gateway plugin passes them. */
function parsed(source: string): [OperationDefinitionNode, Record<string, FragmentDefinitionNode>] {
  const definitions = parse(source).definitions;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  return [definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode, fragments];
}

describe('rateLimitCategories', () => {
  it('maps every root field tagged rate-limit:<category> to its category, type extensions included', () => {
    expect(categories.get('Query.searchArticles')).toBe('search');
    expect(categories.get('Query.suggestReply')).toBe('ai');
    expect(categories.get('Query.searchCustomers')).toBe('search');
    expect(categories.get('Mutation.draftReply')).toBe('ai');
    expect(categories.get('Subscription.inboundWebhook')).toBe('webhook');
  });

  it('ignores other tags and unknown categories', () => {
    expect(categories.has('Query.labelled')).toBe(false);
    expect(categories.has('Query.unknownCategory')).toBe(false);
    expect(categories.has('Query.me')).toBe(false);
  });

  it('finds nothing in an SDL without tags', () => {
    expect(rateLimitCategories('type Query { me: String }').size).toBe(0);
  });
});

describe('categoryOf', () => {
  it('is standard for untagged root fields', () => {
    expect(categoryOf(...parsed('{ me }'), categories)).toBe('standard');
    expect(categoryOf(...parsed('mutation { updateProfile(name: "x") }'), categories)).toBe('standard');
  });

  it('is the tagged category of the root field', () => {
    expect(categoryOf(...parsed('{ searchArticles(text: "x") { id } }'), categories)).toBe('search');
    expect(categoryOf(...parsed('mutation { draftReply(conversationId: "1") }'), categories)).toBe('ai');
    expect(categoryOf(...parsed('subscription { inboundWebhook }'), categories)).toBe('webhook');
  });

  it('takes the strictest category among several root fields', () => {
    expect(categoryOf(...parsed('{ me searchArticles(text: "x") { id } }'), categories)).toBe('search');
    expect(categoryOf(...parsed('{ searchArticles(text: "x") { id } suggestReply(conversationId: "1") me }'), categories)).toBe('ai');
  });

  it('looks up fields under the operation’s own root type', () => {
    // `draftReply` is tagged on Mutation; a query field of that name would not be.
    expect(categoryOf(...parsed('{ draftReply: me }'), categories)).toBe('standard');
  });

  it('sees root fields selected through fragments, so a fragment cannot dodge a stricter limit', () => {
    expect(categoryOf(...parsed('{ ...Search } fragment Search on Query { searchArticles(text: "x") { id } }'), categories)).toBe('search');
    expect(categoryOf(...parsed('{ ... on Query { suggestReply(conversationId: "1") } }'), categories)).toBe('ai');
    expect(
      categoryOf(
        ...parsed('{ ...A } fragment A on Query { ...B } fragment B on Query { draftReply: me searchCustomers(text: "y") }'),
        categories,
      ),
    ).toBe('search');
  });

  it('is decided by root fields only, not by tagged fields deeper down', () => {
    expect(categoryOf(...parsed('{ me }'), new Map([['Article.related', 'search']]))).toBe('standard');
  });
});
