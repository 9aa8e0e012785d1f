import { ArticleEntity } from './modules/articles/article.entity.js';

/** Every entity of the knowledge schema. */
export const entities = [ArticleEntity];
