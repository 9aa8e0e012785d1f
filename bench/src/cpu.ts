import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Unattributed CPU above this (in cores) means other work ran on the machine and disturbed the figures. */
export const DISTURBANCE_CORES = 0.1;

/** CPU seconds per named group of processes, read from Linux's /proc (empty elsewhere). */
export type CpuSnapshot = Map<string, number>;

const TICKS_PER_SECOND = clockTicks();

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/**
 * Attributes every process's CPU time: the servers by process group, the load generator
 * (this process), PostgreSQL and Redis by name; `machine` is the total busy time of all cores.
 */
export function cpuSnapshot(groups: Map<number, string>): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  const add = (name: string, seconds: number): void => {
    snapshot.set(name, (snapshot.get(name) ?? 0) + seconds);
  };
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return snapshot;
  }
  for (const entry of entries) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // Ended while we were reading.
    }
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    const command = stat.slice(open + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    const processGroup = Number(fields[2]);
    const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    const pid = Number(entry);
    if (pid === process.pid) add('load generator', seconds);
    else if (groups.has(processGroup)) add(groups.get(processGroup)!, seconds);
    else if (command === 'postgres') add('postgres', seconds);
    else if (command === 'redis-server') add('redis', seconds);
  }
  try {
    const [total] = readFileSync('/proc/stat', 'utf8').split('\n');
    const [, user, nice, system, , , irq, softirq, steal] = total!.trim().split(/\s+/).map(Number);
    add('machine', (user! + nice! + system! + irq! + softirq! + steal!) / TICKS_PER_SECOND);
  } catch {
    // Not Linux.
  }
  return snapshot;
}

/** Cores used per group between two snapshots taken `seconds` apart, busiest first, with the unattributed rest. */
export interface CpuUse {
  name: string;
  cores: number;
}

export function coresUsed(before: CpuSnapshot, after: CpuSnapshot, seconds: number): CpuUse[] {
  const used = new Map<string, number>();
  for (const [name, value] of after) used.set(name, (value - (before.get(name) ?? 0)) / seconds);
  const machine = used.get('machine');
  used.delete('machine');
  const rows = [...used].map(([name, cores]) => ({ name, cores })).sort((a, b) => b.cores - a.cores);
  if (machine !== undefined) {
    const attributed = rows.reduce((sum, row) => sum + row.cores, 0);
    rows.push({ name: 'other', cores: Math.max(0, machine - attributed) });
  }
  return rows;
}

/** Cores the rest of the machine (not the servers, the load generator, PostgreSQL or Redis) used over `seconds`. */
export async function busyElsewhere(groups: Map<number, string>, seconds: number): Promise<number> {
  const before = cpuSnapshot(groups);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return coresUsed(before, cpuSnapshot(groups), seconds).find((row) => row.name === 'other')?.cores ?? 0;
}
