import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readlinkSync, readSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import pg from 'pg';

/**
 * The SQL statements a server sent, read back from the PostgreSQL server's log: a server
 * started with `PGOPTIONS=-c log_statement=all` has each of its statements logged (a setting
 * of its own sessions only; a superuser may set it). pg_stat_statements would be simpler but
 * needs `shared_preload_libraries` and a restart, so it is not assumed.
 */
export class StatementLog {
  private constructor(private readonly path: string) {}

  /** PGOPTIONS for a server whose statements this log should see. */
  static readonly serverOptions = '-c log_statement=all';

  /**
   * The server's log file, if this process can read it and the server writes statements there:
   * the logging collector's current file, else the file the server's stderr goes to (same machine).
   * Null when none is found (another machine, no permission, logging to syslog).
   */
  static async open(databaseUrl: string): Promise<StatementLog | null> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const candidates: string[] = [];
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      try {
        const current = await client.query<{ file: string | null; directory: string }>(
          `select pg_current_logfile() as file, current_setting('data_directory') as directory`,
        );
        const { file, directory } = current.rows[0]!;
        if (file) candidates.push(isAbsolute(file) ? file : join(directory, file));
      } catch {
        // Not a superuser: only the stderr route is left.
      }
      try {
        candidates.push(readlinkSync(`/proc/${rows[0]!.pid}/fd/2`));
      } catch {
        // Not Linux, another machine, or not allowed to look.
      }
      // The file must really receive this server's statements: log a marker and look for it.
      const marker = `deskgraph-bench-log-marker-${randomUUID()}`;
      await client.query(`set log_statement = 'all'`);
      for (const path of candidates) {
        let log: StatementLog;
        let from: number;
        try {
          log = new StatementLog(path);
          from = log.offset();
        } catch {
          continue;
        }
        await client.query(`select '${marker}'`);
        if (log.readSince(from).includes(marker)) return log;
      }
      return null;
    } catch {
      return null;
    } finally {
      await client.end();
    }
  }

  /** Where the log ends now. */
  offset(): number {
    return statSync(this.path).size;
  }

  private readSince(from: number): string {
    const size = this.offset();
    if (size <= from) return '';
    const buffer = Buffer.alloc(size - from);
    const fd = openSync(this.path, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, from);
    } finally {
      closeSync(fd);
    }
    return buffer.toString('utf8');
  }

  /**
   * The statements logged since `from` whose text contains `needle` (the tenant id: every
   * tenant-scoped statement names it, and nothing else on the server does), in log order.
   */
  statementsSince(from: number, needle: string): string[] {
    const statements: string[] = [];
    let current: string[] | null = null;
    const flush = (): void => {
      const text = current?.join('\n');
      if (text?.includes(needle)) statements.push(text);
      current = null;
    };
    for (const line of this.readSince(from).split('\n')) {
      // A message runs on over lines that start with a tab.
      if (line.startsWith('\t')) {
        current?.push(line.slice(1));
        continue;
      }
      flush();
      const match = /LOG:\s+(?:statement|execute [^:]*): (.*)$/.exec(line);
      if (match) current = [match[1]!];
    }
    flush();
    return statements;
  }
}
