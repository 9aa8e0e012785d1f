import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { authorize, requireCaller } from '@deskgraph/auth';
import { findPage, pageRequest, recordEvent, type Connection } from '@deskgraph/database';
import { parseInput } from '@deskgraph/errors';
import type { RequestContext } from '@deskgraph/subgraph-kit';
import { tags, trimmedText } from '@deskgraph/validation';
import {
  ArticleEntity,
  articleStatuses,
  articleVisibilities,
  type Article,
  type ArticleStatus,
  type ArticleVisibility,
} from './article.entity.js';

const createArticleSchema = z.object({
  title: trimmedText(300).min(1, { message: 'is required' }),
  // Not trimmed: leading indentation is meaningful in Markdown.
  content: z
    .string()
    .max(200_000, { message: 'must be at most 200000 characters' })
    .refine((value) => value.trim().length > 0, { message: 'is required' }),
  status: z.enum(articleStatuses).default('draft'),
  visibility: z.enum(articleVisibilities).default('internal'),
  tags: tags.default([]),
});

export class ArticlesService {
  constructor(private readonly ctx: RequestContext) {}

  /**
   * Batched by id within the caller's tenant; other tenants' articles, non-UUIDs and,
   * for customers, articles not published for them are null.
   */
  load(id: string): Promise<Article | null> {
    return this.ctx.byId(ArticleEntity, id, this.readable());
  }

  async get(id: string): Promise<Article | null> {
    authorize(this.ctx.caller, { scope: 'read' });
    return this.load(id);
  }

  async list(args: { first?: number | null; after?: string | null }): Promise<Connection<Article>> {
    authorize(this.ctx.caller, { scope: 'read' });
    return findPage(this.ctx.em(), ArticleEntity, this.readable(), { createdAt: 'desc', id: 'desc' }, pageRequest(args));
  }

  async create(input: unknown): Promise<Article> {
    const caller = authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'write' });
    const data = parseInput(createArticleSchema, input);
    const em = this.ctx.em();
    const article = em.create(ArticleEntity, {
      id: randomUUID(),
      tenantId: caller.tenantId,
      title: data.title,
      content: data.content,
      status: data.status,
      visibility: data.visibility,
      tags: data.tags,
    });
    recordEvent(em, {
      type: 'article.created',
      tenantId: article.tenantId,
      aggregateId: article.id,
      payload: { articleId: article.id, status: article.status, visibility: article.visibility },
    });
    await em.flush();
    return article;
  }

  /** Agents and admins read every article; customers only published ones written for them. */
  private readable(): { status?: ArticleStatus; visibility?: { $in: ArticleVisibility[] } } {
    if (requireCaller(this.ctx.caller).role !== 'customer') return {};
    return { status: 'published', visibility: { $in: ['customer', 'both'] } };
  }
}
export type ArticleConnection = Connection<Article>;
