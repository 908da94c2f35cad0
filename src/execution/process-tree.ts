// Stopping everything a trial's command started. The command runs as the leader of its own process
// group; a signal to the group reaches every process that stayed in it. A process that left the group
// (setsid, a daemon's double fork) is found instead by a sweep of /proc (Linux): every process whose
// parent chain leads to the command, and every process whose environment carries the trial's marker
// variable (inherited by default, so an orphan reparented to init is still found). Processes of other
// users, and ones that cleared their environment after leaving the tree, are out of reach.
import { readdirSync, readFileSync } from 'node:fs';

export interface TreeTarget {
  /** The command's pid, also its process group id. */
  readonly pid: number;
  /** `NAME=value` in the environment of every process of the trial. */
  readonly marker: string;
}

/**
 * SIGTERM to the tree now, SIGKILL after `graceMs`. Resolves once the SIGKILL has been sent. Processes
 * found at SIGTERM are killed at SIGKILL even if they left both the group and the marker's reach.
 */
export function killTree(target: TreeTarget, graceMs: number): Promise<void> {
  const first = signalTree(target, 'SIGTERM', []);
  return new Promise((resolve) => {
    setTimeout(() => {
      signalTree(target, 'SIGKILL', first);
      resolve();
    }, graceMs).unref();
  });
}

/** Sends `signal` to the group, the sweep's finds and `extra` (checked against pid reuse); returns what it signalled. */
export function signalTree(target: TreeTarget, signal: NodeJS.Signals, extra: readonly ProcessId[]): ProcessId[] {
  send(-target.pid, signal);
  const found = sweep(target);
  const seen = new Set(found.map((p) => p.pid));
  for (const p of extra) if (!seen.has(p.pid) && startTimeOf(p.pid) === p.startTime) found.push(p);
  for (const p of found) send(p.pid, signal);
  return found;
}

/** Whether any process is left in the group. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ProcessId {
  readonly pid: number;
  /** Clock ticks since boot when it started: a pid with another start time is a reused pid. */
  readonly startTime: string;
}

// --- internal ---

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly state: string;
  readonly startTime: string;
}

/** Descendants of the command and processes carrying the marker (never this process). Empty off Linux. */
function sweep(target: TreeTarget): ProcessId[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const stats = new Map<number, ProcStat>();
  for (const name of entries) {
    const stat = readStat(Number(name));
    if (stat && stat.state !== 'Z') stats.set(stat.pid, stat);
  }
  const children = new Map<number, number[]>();
  for (const s of stats.values()) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  const found = new Set<number>();
  const walk = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      if (found.has(child)) continue;
      found.add(child);
      walk(child);
    }
  };
  walk(target.pid);
  if (stats.has(target.pid)) found.add(target.pid);
  const needle = Buffer.from(`\0${target.marker}\0`);
  for (const pid of stats.keys()) {
    if (found.has(pid) || pid === process.pid) continue;
    if (environHas(pid, needle)) {
      found.add(pid);
      walk(pid);
    }
  }
  found.delete(process.pid);
  return [...found].map((pid) => ({ pid, startTime: stats.get(pid)?.startTime ?? '' }));
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime
    // cstime priority nice threads itrealvalue starttime ...; comm may hold spaces and parentheses.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, state: fields[0] ?? '', ppid: Number(fields[1]), startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

function startTimeOf(pid: number): string | undefined {
  const stat = readStat(pid);
  return stat && stat.state !== 'Z' ? stat.startTime : undefined;
}

function environHas(pid: number, needle: Buffer): boolean {
  try {
    const environ = readFileSync(`/proc/${pid}/environ`);
    // A leading NUL so the first variable matches too.
    return Buffer.concat([Buffer.from([0]), environ]).includes(needle);
  } catch {
    return false; // gone, or another user's
  }
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone, or not ours
  }
}
