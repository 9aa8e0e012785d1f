import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { Redis } from 'ioredis';
import pg from 'pg';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  postgres: string;
  redis: string;
  /** The code measured: the commit, and whether the working tree differed from it. */
  revision: string;
}

function describeRevision(repositoryRoot: string): string {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: repositoryRoot, encoding: 'utf8' }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain').length > 0 ? `${commit} with uncommitted changes` : commit;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

export async function describeMachine(databaseServerUrl: string, redisUrl: string, repositoryRoot: string): Promise<Machine> {
  const processors = cpus();
  const client = new pg.Client({ connectionString: databaseServerUrl });
  await client.connect();
  let postgres: string;
  try {
    postgres = (await client.query<{ version: string }>('select version()')).rows[0]!.version;
  } finally {
    await client.end();
  }
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  let redisVersion: string;
  try {
    await redis.connect();
    redisVersion = (await redis.info('server')).match(/redis_version:(\S+)/)?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
  return {
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    memoryGiB: totalmem() / 1024 ** 3,
    node: process.version,
    postgres,
    redis: redisVersion,
    revision: describeRevision(repositoryRoot),
  };
}
