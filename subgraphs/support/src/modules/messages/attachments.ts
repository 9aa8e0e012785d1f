import { createHash } from 'node:crypto';
import { ValidationError, type FieldError } from '@deskgraph/errors';
import type { AttachmentLimits } from '../../config.js';
import { attachmentKey, type AttachmentStorage } from './attachment-storage.js';

/** A file as a client sends it. */
export interface AttachmentUpload {
  filename: string;
  contentType?: string | null;
  base64Content: string;
}

/** A file that passed every check, decoded, with its storage key. */
export interface PreparedAttachment {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  storageKey: string;
  content: Buffer;
}

/** Extension → the MIME types it may be sent as; the first is the one stored. */
const TYPES_BY_EXTENSION: Record<string, readonly string[]> = {
  png: ['image/png'],
  jpg: ['image/jpeg'],
  jpeg: ['image/jpeg'],
  jpe: ['image/jpeg'],
  gif: ['image/gif'],
  webp: ['image/webp'],
  bmp: ['image/bmp'],
  tif: ['image/tiff'],
  tiff: ['image/tiff'],
  heic: ['image/heic'],
  pdf: ['application/pdf'],
  txt: ['text/plain'],
  text: ['text/plain'],
  log: ['text/plain'],
  csv: ['text/csv', 'text/plain', 'application/vnd.ms-excel'],
  md: ['text/markdown', 'text/plain'],
  markdown: ['text/markdown', 'text/plain'],
  rtf: ['application/rtf'],
  doc: ['application/msword'],
  docx: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  xls: ['application/vnd.ms-excel'],
  xlsx: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ppt: ['application/vnd.ms-powerpoint'],
  pptx: ['application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  odt: ['application/vnd.oasis.opendocument.text'],
  ods: ['application/vnd.oasis.opendocument.spreadsheet'],
  odp: ['application/vnd.oasis.opendocument.presentation'],
  zip: ['application/zip'],
};

/** Other spellings clients use for the same type. */
const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'application/x-zip-compressed': 'application/zip',
  'application/x-zip': 'application/zip',
  'text/rtf': 'application/rtf',
  'application/x-pdf': 'application/pdf',
  'text/x-markdown': 'text/markdown',
};

const ZIP = [
  [0x50, 0x4b, 0x03, 0x04],
  [0x50, 0x4b, 0x05, 0x06],
];
const OLE = [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]];

/** The first bytes each binary type starts with; a file claiming the type must have them. */
const SIGNATURES: Record<string, (content: Buffer) => boolean> = {
  'image/png': startsWith([[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]]),
  'image/jpeg': startsWith([[0xff, 0xd8, 0xff]]),
  'image/gif': (content) => ['GIF87a', 'GIF89a'].includes(content.subarray(0, 6).toString('latin1')),
  'image/webp': (content) => content.subarray(0, 4).toString('latin1') === 'RIFF' && content.subarray(8, 12).toString('latin1') === 'WEBP',
  'image/bmp': (content) => content.subarray(0, 2).toString('latin1') === 'BM',
  'image/tiff': startsWith([
    [0x49, 0x49, 0x2a, 0x00],
    [0x4d, 0x4d, 0x00, 0x2a],
  ]),
  'image/heic': (content) => content.subarray(4, 8).toString('latin1') === 'ftyp',
  'application/pdf': (content) => content.subarray(0, 5).toString('latin1') === '%PDF-',
  'application/rtf': (content) => content.subarray(0, 5).toString('latin1') === '{\\rtf',
  'application/msword': startsWith(OLE),
  'application/vnd.ms-excel': (content) => startsWith(OLE)(content) || isText(content),
  'application/vnd.ms-powerpoint': startsWith(OLE),
  'application/zip': startsWith(ZIP),
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': startsWith(ZIP),
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': startsWith(ZIP),
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': startsWith(ZIP),
  'application/vnd.oasis.opendocument.text': startsWith(ZIP),
  'application/vnd.oasis.opendocument.spreadsheet': startsWith(ZIP),
  'application/vnd.oasis.opendocument.presentation': startsWith(ZIP),
  'text/plain': isText,
  'text/csv': isText,
  'text/markdown': isText,
};

function startsWith(signatures: number[][]): (content: Buffer) => boolean {
  return (content) => signatures.some((signature) => signature.every((byte, index) => content[index] === byte));
}

function isText(content: Buffer): boolean {
  return !content.subarray(0, 8192).includes(0);
}

// A flat character class: a grouped pattern overflows the regex engine's stack on 10 MB inputs.
const BASE64_CHARACTERS = /^[A-Za-z0-9+/]*={0,2}$/;

function humanSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/** `report.pdf` from `C:\\Users\\x\\report.pdf` or `../report.pdf`; control characters removed. */
function cleanFilename(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  return base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
}

function normaliseType(contentType: string): string {
  const bare = contentType.split(';')[0]!.trim().toLowerCase();
  return ALIASES[bare] ?? bare;
}

/**
 * Checks and decodes every file of a message: count, name, base64, size, type (given or
 * guessed from the extension, on the allow-list, agreeing with the extension and the first
 * bytes). All problems are reported at once, each under `<field>.<index>`.
 */
export function prepareAttachments(
  uploads: readonly AttachmentUpload[],
  limits: AttachmentLimits,
  tenantId: string,
  field = 'attachments',
): PreparedAttachment[] {
  if (uploads.length > limits.maxPerMessage) {
    throw new ValidationError([{ field, message: `at most ${limits.maxPerMessage} files per message` }]);
  }
  const errors: FieldError[] = [];
  const prepared: PreparedAttachment[] = [];
  uploads.forEach((upload, index) => {
    const path = `${field}.${index}`;
    const fail = (message: string) => errors.push({ field: path, message });
    const filename = cleanFilename(upload.filename);
    if (filename.length === 0 || filename === '.' || filename === '..') return fail('filename is required');
    if (filename.length > 255) return fail('filename must be at most 255 characters');

    const extension = filename.includes('.') ? filename.split('.').pop()!.toLowerCase() : '';
    const typesOfExtension = TYPES_BY_EXTENSION[extension];
    const given = upload.contentType ? normaliseType(upload.contentType) : null;
    const contentType = given ?? typesOfExtension?.[0];
    if (!contentType) return fail(`the type of ${filename} cannot be told from its name; give contentType`);
    if (!limits.allowedContentTypes.includes(contentType)) return fail(`files of type ${contentType} are not accepted`);
    if (given && typesOfExtension && !typesOfExtension.includes(given)) {
      return fail(`contentType ${given} does not match the file name ${filename}`);
    }

    const base64 = upload.base64Content.replace(/\s+/g, '');
    const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
    const size = (base64.length / 4) * 3 - padding;
    // Judge the size before decoding: an oversized upload is never held twice in memory.
    if (size > limits.maxBytes) return fail(`${filename} is ${humanSize(size)}; the limit is ${humanSize(limits.maxBytes)}`);
    if (base64.length % 4 !== 0 || !BASE64_CHARACTERS.test(base64)) return fail('base64Content is not valid base64');
    const content = Buffer.from(base64, 'base64');
    if (content.length === 0) return fail(`${filename} is empty`);
    const signature = SIGNATURES[contentType];
    if (signature && !signature(content)) return fail(`the content of ${filename} is not ${contentType}`);

    const sha256 = createHash('sha256').update(content).digest('hex');
    prepared.push({ filename, contentType, size: content.length, sha256, storageKey: attachmentKey(tenantId, sha256), content });
  });
  if (errors.length > 0) throw new ValidationError(errors);
  return prepared;
}

/**
 * Writes prepared files to storage before the transaction that records them. Returns an
 * undo for the files this call created, run when the transaction fails, so a failed
 * message leaves nothing behind.
 */
export async function storeAttachments(storage: AttachmentStorage, prepared: readonly PreparedAttachment[]): Promise<() => Promise<void>> {
  const created: string[] = [];
  const undo = async () => {
    await Promise.all(created.map((key) => storage.delete(key)));
  };
  try {
    for (const attachment of prepared) {
      if ((await storage.put(attachment.storageKey, attachment.content)).created) created.push(attachment.storageKey);
    }
  } catch (error) {
    await undo();
    throw error;
  }
  return undo;
}

/** Where attachments go and what they may be; given to the services by the subgraph's config. */
export interface AttachmentSettings {
  storage: AttachmentStorage;
  limits: AttachmentLimits;
}

/**
 * Checks and stores a message's files, then runs `write` (the transaction that records
 * them); when it fails, files this call created are removed again.
 */
export async function withAttachments<T>(
  settings: AttachmentSettings,
  uploads: readonly AttachmentUpload[],
  tenantId: string,
  field: string,
  write: (prepared: PreparedAttachment[]) => Promise<T>,
): Promise<T> {
  const prepared = prepareAttachments(uploads, settings.limits, tenantId, field);
  const undo = await storeAttachments(settings.storage, prepared);
  try {
    return await write(prepared);
  } catch (error) {
    await undo();
    throw error;
  }
}
