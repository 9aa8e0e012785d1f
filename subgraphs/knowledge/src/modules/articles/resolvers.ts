import type { Resolvers } from '../../__generated__/resolvers-types.js';

export const articleResolvers: Resolvers = {
  Query: {
    article: (_parent, { id }, ctx) => ctx.articles.get(id),
    articles: (_parent, { first, after }, ctx) => ctx.articles.list({ first, after }),
  },
  Mutation: {
    createArticle: (_parent, { input }, ctx) => ctx.articles.create(input),
  },
  Article: {
    __resolveReference: (reference, ctx) => ctx.articles.load(reference.id),
  },
};
