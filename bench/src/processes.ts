import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_LINES = 40;

/** A server under load, running as the leader of a process group of its own. */
export interface ServerProcess {
  name: string;
  /** Where it listens: http://127.0.0.1:<port>. */
  url: string;
  /** Also the process group id: tsx and the node process it starts. */
  pid: number;
  /** The latest lines it printed, for failure messages. */
  output(): string;
  /** SIGTERM (tsx relays it for a graceful shutdown), then SIGKILL to the whole group. */
  stop(): Promise<void>;
}

const running = new Set<ServerProcess>();

// Last resort if the benchmark dies without its finally blocks: no server outlives it.
process.on('exit', () => {
  for (const server of running) killGroup(server.pid, 'SIGKILL');
});

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** `count` distinct TCP ports that were free a moment ago on 127.0.0.1 (all held open together, so never one twice). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(
      servers.map(
        (server) =>
          new Promise<number>((resolve, reject) => {
            server.once('error', reject);
            server.listen(0, '127.0.0.1', () => {
              const address = server.address();
              if (!address || typeof address === 'string') reject(new Error('could not pick a free port'));
              else resolve(address.port);
            });
          }),
      ),
    );
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

/** Runs `tsx <script> ...args` from the repository root and waits until `url + readyPath` answers 200. */
export async function startServer(options: {
  name: string;
  script: string;
  args?: string[];
  environment: Record<string, string>;
  url: string;
  readyPath: string;
}): Promise<ServerProcess> {
  const child = spawn(TSX, [options.script, ...(options.args ?? [])], {
    cwd: REPOSITORY_ROOT,
    env: options.environment,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${options.name}: could not start ${options.script}`);
  const pid = child.pid;
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - OUTPUT_LINES));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const server: ServerProcess = {
    name: options.name,
    url: options.url,
    pid,
    output: () => lines.join('\n'),
    async stop() {
      if (!running.delete(server)) return;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, delay(STOP_TIMEOUT_MS)]);
      }
      killGroup(pid, 'SIGKILL');
    },
  };
  running.add(server);

  try {
    await waitUntilReady(options.name, options.url + options.readyPath, child, exited, server);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitUntilReady(
  name: string,
  url: string,
  child: ChildProcess,
  exited: Promise<number | null>,
  server: ServerProcess,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (Date.now() < deadline) {
    if (gone) throw new Error(`${name} exited with code ${child.exitCode} before it was ready:\n${server.output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await delay(250);
  }
  throw new Error(`${name} was not ready at ${url} within ${START_TIMEOUT_MS / 1000} s:\n${server.output()}`);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
