import { join } from 'node:path';
import type { AttachmentStorage } from './modules/messages/attachment-storage.js';

/** What a message may carry (README: attachments). */
export interface AttachmentLimits {
  /** Largest file, in bytes after base64 decoding. */
  maxBytes: number;
  /** Files per message. */
  maxPerMessage: number;
  /** MIME types accepted; anything else is a VALIDATION_ERROR. */
  allowedContentTypes: readonly string[];
}

/** Settings of the support subgraph, given by the process that hosts it. */
export interface SupportConfig {
  /** Directory of the local-disk attachment storage (the gateway passes `<DATA_DIR>/attachments`). */
  attachmentsDirectory: string;
  attachmentLimits: AttachmentLimits;
  /** Another storage than the local disk (an object store, a test double). */
  attachmentStorage?: AttachmentStorage;
}

/**
 * Images (no SVG: it can carry scripts), PDF, plain text and CSV, Office and OpenDocument
 * files, ZIP archives.
 */
export const DEFAULT_ALLOWED_CONTENT_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/bmp',
  'image/tiff',
  'image/heic',
  'application/pdf',
  'text/plain',
  'text/csv',
  'text/markdown',
  'application/rtf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/zip',
];

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxPerMessage: 10,
  allowedContentTypes: DEFAULT_ALLOWED_CONTENT_TYPES,
};

/** The configuration with defaults filled in; attachments default to `./.data/attachments` (DATA_DIR's default). */
export function supportConfig(overrides: Partial<SupportConfig> = {}): SupportConfig {
  return {
    attachmentsDirectory: overrides.attachmentsDirectory ?? join(process.cwd(), '.data', 'attachments'),
    attachmentLimits: { ...DEFAULT_ATTACHMENT_LIMITS, ...overrides.attachmentLimits },
    ...(overrides.attachmentStorage ? { attachmentStorage: overrides.attachmentStorage } : {}),
  };
}
