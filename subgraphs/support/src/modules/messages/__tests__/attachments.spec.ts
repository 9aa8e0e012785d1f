import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '@deskgraph/errors';
import { DEFAULT_ATTACHMENT_LIMITS } from '../../../config.js';
import { LocalDiskAttachmentStorage, attachmentKey } from '../attachment-storage.js';
import { prepareAttachments, storeAttachments } from '../attachments.js';

const tenantId = randomUUID();
const PDF = Buffer.from('%PDF-1.4 tiny');

function refusal(run: () => unknown): { field: string; message: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.details ?? [];
    throw error;
  }
  throw new Error('expected a VALIDATION_ERROR');
}

describe('prepareAttachments', () => {
  it('refuses a file one byte over 10 MB and accepts one of exactly 10 MB', () => {
    const limit = DEFAULT_ATTACHMENT_LIMITS.maxBytes;
    expect(limit).toBe(10 * 1024 * 1024);
    const exact = Buffer.concat([PDF, Buffer.alloc(limit - PDF.length)]);
    expect(
      prepareAttachments([{ filename: 'big.pdf', base64Content: exact.toString('base64') }], DEFAULT_ATTACHMENT_LIMITS, tenantId)[0]!.size,
    ).toBe(limit);
    const over = Buffer.concat([exact, Buffer.from('x')]);
    expect(
      refusal(() =>
        prepareAttachments([{ filename: 'big.pdf', base64Content: over.toString('base64') }], DEFAULT_ATTACHMENT_LIMITS, tenantId),
      ),
    ).toEqual([{ field: 'attachments.0', message: 'big.pdf is 10 MB; the limit is 10 MB' }]);
  });

  it('guesses types from the extension, accepts aliases and refuses mismatches', () => {
    const [docx, csv, jpeg] = prepareAttachments(
      [
        { filename: 'report.DOCX', base64Content: Buffer.from('PK\u0003\u0004rest').toString('base64') },
        { filename: 'data.csv', contentType: 'application/vnd.ms-excel', base64Content: Buffer.from('a,b\n1,2').toString('base64') },
        { filename: 'photo.jpg', contentType: 'image/jpg', base64Content: Buffer.from([0xff, 0xd8, 0xff, 0xe0]).toString('base64') },
      ],
      DEFAULT_ATTACHMENT_LIMITS,
      tenantId,
    );
    expect([docx!.contentType, csv!.contentType, jpeg!.contentType]).toEqual([
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-excel',
      'image/jpeg',
    ]);
    expect(
      refusal(() =>
        prepareAttachments(
          [
            { filename: 'a.zip', base64Content: Buffer.from('plain text').toString('base64') },
            { filename: 'b.txt', contentType: 'image/png', base64Content: 'aGk=' },
            { filename: 'c.html', base64Content: Buffer.from('<script>').toString('base64') },
            { filename: '..', base64Content: 'aGk=' },
            { filename: 'd.txt', base64Content: 'a GVsbG8=' },
          ],
          DEFAULT_ATTACHMENT_LIMITS,
          tenantId,
          'initialMessage.attachments',
        ),
      ).map((detail) => detail.field),
    ).toEqual([
      'initialMessage.attachments.0',
      'initialMessage.attachments.1',
      'initialMessage.attachments.2',
      'initialMessage.attachments.3',
    ]);
  });

  it('keys files by tenant and content hash', () => {
    const [prepared] = prepareAttachments(
      [{ filename: 'x.pdf', base64Content: PDF.toString('base64') }],
      DEFAULT_ATTACHMENT_LIMITS,
      tenantId,
    );
    expect(prepared!.storageKey).toBe(`${tenantId}/${prepared!.sha256}`);
  });
});

describe('LocalDiskAttachmentStorage', () => {
  const directory = mkdtempSync(join(tmpdir(), 'deskgraph-storage-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const storage = new LocalDiskAttachmentStorage(directory);

  it('puts, gets and deletes by key, storing the same content once', async () => {
    const key = attachmentKey(tenantId, 'a'.repeat(64));
    expect(await storage.put(key, PDF)).toEqual({ created: true });
    expect(await storage.put(key, PDF)).toEqual({ created: false });
    expect(await storage.get(key)).toEqual(PDF);
    expect(readdirSync(join(directory, tenantId))).toEqual(['a'.repeat(64)]);
    await storage.delete(key);
    await storage.delete(key);
    expect(await storage.get(key)).toBeNull();
  });

  it('refuses keys that could leave its directory', async () => {
    for (const key of [
      '../etc/passwd',
      `${tenantId}/../../x`,
      `${tenantId}/${'a'.repeat(63)}/`,
      '/abs/path',
      `${tenantId}\\${'a'.repeat(64)}`,
    ]) {
      await expect(storage.get(key)).rejects.toThrow(/Invalid attachment storage key/);
      await expect(storage.put(key, PDF)).rejects.toThrow(/Invalid attachment storage key/);
    }
    expect(() => attachmentKey('../x', 'a'.repeat(64))).toThrow();
  });

  it('undoes only the files a failed message created', async () => {
    const shared = attachmentKey(tenantId, 'b'.repeat(64));
    await storage.put(shared, PDF);
    const fresh = {
      filename: 'n.pdf',
      contentType: 'application/pdf',
      size: 3,
      sha256: 'c'.repeat(64),
      storageKey: attachmentKey(tenantId, 'c'.repeat(64)),
      content: PDF,
    };
    const undo = await storeAttachments(storage, [{ ...fresh, sha256: 'b'.repeat(64), storageKey: shared }, fresh]);
    await undo();
    expect(await storage.get(shared)).toEqual(PDF);
    expect(await storage.get(fresh.storageKey)).toBeNull();
  });
});
