import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A postgres:// URL that the pg driver can use. */
  url: string;
  stop(): Promise<void>;
}

/**
 * The zero-configuration default: PostgreSQL compiled to WebAssembly (PGlite),
 * persisted under the data directory and reachable over the wire protocol on loopback,
 * so the rest of the code talks to it exactly as to a real server.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; maxConnections: number }): Promise<EmbeddedPostgres> {
  const directory = join(options.dataDir, 'pg');
  mkdirSync(directory, { recursive: true });
  const db = await PGlite.create({ dataDir: directory, extensions: { pg_trgm } });
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: options.port,
    maxConnections: options.maxConnections,
  });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres@${address}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
