import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSubgraph, type TestSubgraph } from '@deskgraph/testing';
import { createKnowledgeSubgraph } from '../../../server.js';

let knowledge: TestSubgraph<Awaited<ReturnType<typeof createKnowledgeSubgraph>>>;

beforeAll(async () => {
  knowledge = await startTestSubgraph(createKnowledgeSubgraph);
});
afterAll(async () => knowledge?.stop());

const FIELDS = 'id title content status visibility tags createdAt updatedAt';
const CREATE = /* GraphQL */ `
  mutation ($input: CreateArticleInput!) { createArticle(input: $input) { ${FIELDS} } }
`;
const GET = /* GraphQL */ `
  query ($id: ID!) { article(id: $id) { ${FIELDS} } }
`;
const LIST = /* GraphQL */ `
  query ($first: Int, $after: String) {
    articles(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        endCursor
      }
      edges {
        cursor
        node {
          id
        }
      }
      nodes {
        id
        title
      }
    }
  }
`;
const ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Article {
        id
        title
      }
    }
  }
`;

interface ArticleView {
  id: string;
  title: string;
  content: string;
  status: string;
  visibility: string;
  tags: string[];
}

async function createArticle(token: string, input: Record<string, unknown>): Promise<ArticleView> {
  const result = await knowledge.run(CREATE, { input }, token);
  expect(result.errors).toBeUndefined();
  return (result.data as { createArticle: ArticleView }).createArticle;
}

const resetPassword = { title: 'How to reset your password', content: '1. Open **Settings**\n2. Choose *Reset password*' };

describe('articles', () => {
  it('creates an internal draft by default, keeps its Markdown as written, and reads it back', async () => {
    const { token } = await knowledge.caller({ role: 'agent' });
    const content = '    indented code block\n\nSome text  ';
    const created = await createArticle(token, { title: '  Password reset ', content, tags: ['Login', 'login', 'Account'] });
    expect(created).toMatchObject({
      title: 'Password reset',
      content,
      status: 'DRAFT',
      visibility: 'INTERNAL',
      tags: ['login', 'account'],
    });

    const read = await knowledge.run(GET, { id: created.id }, token);
    expect(read.errors).toBeUndefined();
    expect((read.data as { article: ArticleView }).article).toEqual(expect.objectContaining(created));
  });

  it('reports every invalid field of a new article at once', async () => {
    const { token } = await knowledge.caller();
    const result = await knowledge.run(CREATE, { input: { title: ' ', content: '  \n ', tags: [''] } }, token);
    expect(result.errors?.[0]?.extensions?.code).toBe('VALIDATION_ERROR');
    const fields = (result.errors?.[0]?.extensions?.details as { field: string }[]).map((detail) => detail.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'content', 'tags.0']));
  });

  it("answers null for another tenant's article and for an id that is not a UUID", async () => {
    const owner = await knowledge.caller();
    const stranger = await knowledge.caller();
    const created = await createArticle(owner.token, resetPassword);

    const crossTenant = await knowledge.run(GET, { id: created.id }, stranger.token);
    expect(crossTenant.errors).toBeUndefined();
    expect((crossTenant.data as { article: unknown }).article).toBeNull();

    const notUuid = await knowledge.run(GET, { id: 'kb-1' }, owner.token);
    expect(notUuid.errors).toBeUndefined();
    expect((notUuid.data as { article: unknown }).article).toBeNull();
  });

  it('refuses customer-role callers who try to write an article', async () => {
    const { token } = await knowledge.caller({ role: 'customer' });
    const result = await knowledge.run(CREATE, { input: resetPassword }, token);
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('shows customers only the published articles written for them', async () => {
    const admin = await knowledge.caller();
    const customer = await knowledge.caller({ role: 'customer', tenantId: admin.caller.tenantId });
    const forCustomers = await createArticle(admin.token, {
      ...resetPassword,
      title: 'For customers',
      status: 'PUBLISHED',
      visibility: 'CUSTOMER',
    });
    const forEveryone = await createArticle(admin.token, {
      ...resetPassword,
      title: 'For everyone',
      status: 'PUBLISHED',
      visibility: 'BOTH',
    });
    const internal = await createArticle(admin.token, { ...resetPassword, title: 'Internal', status: 'PUBLISHED', visibility: 'INTERNAL' });
    const draft = await createArticle(admin.token, { ...resetPassword, title: 'Draft', status: 'DRAFT', visibility: 'CUSTOMER' });
    const archived = await createArticle(admin.token, { ...resetPassword, title: 'Archived', status: 'ARCHIVED', visibility: 'BOTH' });

    const list = await knowledge.run(LIST, {}, customer.token);
    expect(list.errors).toBeUndefined();
    const { totalCount, nodes } = (list.data as { articles: { totalCount: number; nodes: { id: string }[] } }).articles;
    expect(totalCount).toBe(2);
    expect(nodes.map((node) => node.id).sort()).toEqual([forCustomers.id, forEveryone.id].sort());

    for (const hidden of [internal, draft, archived]) {
      const read = await knowledge.run(GET, { id: hidden.id }, customer.token);
      expect((read.data as { article: unknown }).article).toBeNull();
    }
    const entities = await knowledge.run(ENTITIES, { representations: [{ __typename: 'Article', id: internal.id }] }, customer.token);
    expect((entities.data as { _entities: unknown[] })._entities).toEqual([null]);

    const staff = await knowledge.run(LIST, {}, admin.token);
    expect((staff.data as { articles: { totalCount: number } }).articles.totalCount).toBe(5);
  });

  it('resolves an Article reference through _entities for its own tenant only', async () => {
    const owner = await knowledge.caller();
    const stranger = await knowledge.caller();
    const created = await createArticle(owner.token, resetPassword);
    const representations = [{ __typename: 'Article', id: created.id }];

    const own = await knowledge.run(ENTITIES, { representations }, owner.token);
    expect(own.errors).toBeUndefined();
    expect((own.data as { _entities: unknown[] })._entities).toEqual([{ id: created.id, title: resetPassword.title }]);

    const other = await knowledge.run(ENTITIES, { representations }, stranger.token);
    expect(other.errors).toBeUndefined();
    expect((other.data as { _entities: unknown[] })._entities).toEqual([null]);
  });

  it('pages articles newest first with the total count', async () => {
    const { token } = await knowledge.caller();
    const ids: string[] = [];
    for (const title of ['Alpha', 'Beta', 'Gamma']) {
      ids.push((await createArticle(token, { ...resetPassword, title })).id);
      await sleep(5);
    }
    type Page = {
      articles: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
        edges: { cursor: string; node: { id: string } }[];
        nodes: { id: string; title: string }[];
      };
    };

    const first = await knowledge.run(LIST, { first: 2 }, token);
    expect(first.errors).toBeUndefined();
    const page1 = (first.data as Page).articles;
    expect(page1.totalCount).toBe(3);
    expect(page1.nodes.map((node) => node.title)).toEqual(['Gamma', 'Beta']);
    expect(page1.edges.map((edge) => edge.node.id)).toEqual([ids[2], ids[1]]);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const second = await knowledge.run(LIST, { first: 2, after: page1.pageInfo.endCursor }, token);
    expect(second.errors).toBeUndefined();
    const page2 = (second.data as Page).articles;
    expect(page2.totalCount).toBe(3);
    expect(page2.nodes.map((node) => node.id)).toEqual([ids[0]]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });

  it('announces article.created once the article is committed', async () => {
    const { caller, token } = await knowledge.caller();
    const created = await createArticle(token, { ...resetPassword, status: 'PUBLISHED', visibility: 'BOTH' });
    await knowledge.settle();
    const events = knowledge.events.filter((event) => event.tenantId === caller.tenantId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'article.created',
      source: 'knowledge',
      aggregateId: created.id,
      payload: { articleId: created.id, status: 'published', visibility: 'both' },
    });
  });
});
