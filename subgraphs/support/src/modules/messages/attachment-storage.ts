import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

/**
 * Where attachment bytes live, by key. Keys are `<tenantId>/<sha256>`: the same file sent
 * twice in one tenant is stored once, and a tenant's files never share a key with another's.
 */
export interface AttachmentStorage {
  /** Stores the bytes under `key`; `created` is false when they were there already. */
  put(key: string, content: Buffer): Promise<{ created: boolean }>;
  /** The bytes, or null when nothing is stored under `key`. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the bytes; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

const KEY_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/[0-9a-f]{64}$/;

export function attachmentKey(tenantId: string, sha256: string): string {
  const key = `${tenantId.toLowerCase()}/${sha256.toLowerCase()}`;
  assertKey(key);
  return key;
}

function assertKey(key: string): void {
  // Only `<uuid>/<hex>` keys reach the disk: nothing like `../` can name a path outside the directory.
  if (!KEY_PATTERN.test(key)) throw new Error(`Invalid attachment storage key: ${JSON.stringify(key)}`);
}

/** Attachments as files under one directory: `<directory>/<tenantId>/<sha256>`. */
export class LocalDiskAttachmentStorage implements AttachmentStorage {
  private readonly root: string;

  constructor(directory: string) {
    this.root = resolve(directory);
  }

  private path(key: string): string {
    assertKey(key);
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new Error(`Invalid attachment storage key: ${JSON.stringify(key)}`);
    return path;
  }

  async put(key: string, content: Buffer): Promise<{ created: boolean }> {
    const path = this.path(key);
    if (await exists(path)) return { created: false };
    await mkdir(dirname(path), { recursive: true });
    // Write then rename, so a reader never sees half a file.
    const temporary = `${path}.${randomUUID()}.tmp`;
    await writeFile(temporary, content, { mode: 0o600 });
    await rename(temporary, path);
    return { created: true };
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
