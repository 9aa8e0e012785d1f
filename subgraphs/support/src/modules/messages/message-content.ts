import sanitizeHtml from 'sanitize-html';
import type { ContentType } from './message.entity.js';

/**
 * A formatting subset safe to show in an agent's browser: no scripts, styles, frames, forms,
 * images (tracking pixels) or event handlers; links only to http(s), mailto and tel.
 */
const HTML_POLICY: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'div',
    'span',
    'b',
    'strong',
    'i',
    'em',
    'u',
    's',
    'strike',
    'del',
    'ins',
    'sub',
    'sup',
    'small',
    'mark',
    'code',
    'pre',
    'kbd',
    'blockquote',
    'q',
    'cite',
    'abbr',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'ul',
    'ol',
    'li',
    'dl',
    'dt',
    'dd',
    'a',
    'table',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'caption',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'], abbr: ['title'], th: ['colspan', 'rowspan'], td: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }) },
};

/** HTML reduced to the safe subset; text is stored as given. */
export function cleanContent(content: string, contentType: ContentType): string {
  return contentType === 'html' ? sanitizeHtml(content, HTML_POLICY) : content;
}

/** The readable text of a message: tags dropped, entities decoded, whitespace collapsed. */
export function plainText(content: string, contentType: ContentType): string {
  const text =
    contentType === 'html'
      ? sanitizeHtml(content, { allowedTags: [], allowedAttributes: {} })
          .replace(/&nbsp;/g, ' ')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, '&')
      : content;
  return text.replace(/\s+/g, ' ').trim();
}
