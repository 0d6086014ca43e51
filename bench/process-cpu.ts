import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ on Linux: /proc/<pid>/stat counts CPU time in ticks of 10 ms. */
const TICKS_PER_SECOND = 100;

/** The CPU times of one process from /proc/<pid>/stat, in seconds; undefined once it has gone. */
export interface ProcessTimes {
  readonly parentPid: number;
  /** utime + stime: every thread of the process. */
  readonly ownS: number;
  /** cutime + cstime: children it has waited for (exited and reaped). */
  readonly reapedChildrenS: number;
}

/** Reads /proc/<pid>/stat (proc(5): fields after the command name's closing parenthesis). */
export function processTimes(pid: number): ProcessTimes | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Field 3 (state) is the first after ')'; utime, stime, cutime, cstime are fields 14 to 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const tick = (i: number) => Number(fields[i] ?? 0) / TICKS_PER_SECOND;
  return { parentPid: Number(fields[1] ?? 0), ownS: tick(11) + tick(12), reapedChildrenS: tick(13) + tick(14) };
}

/** The PIDs whose parent is `pid`, at the moment of the call. */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const times = processTimes(Number(entry));
    if (times?.parentPid === pid) children.push(Number(entry));
  }
  return children;
}

/**
 * CPU seconds used so far by a server made of a parent and the processes it forks (PostgreSQL's
 * postmaster and its backends): the parent's own time, the time of its children that have exited
 * (counted into the parent's cutime/cstime once reaped), and the time of those still running.
 * Differences of two readings are exact across a child's exit: its time moves from the third term
 * to the second.
 */
export function processFamilyCpuSeconds(parentPid: number): number {
  const parent = processTimes(parentPid);
  if (parent === undefined) return NaN;
  let total = parent.ownS + parent.reapedChildrenS;
  for (const child of childPids(parentPid)) total += processTimes(child)?.ownS ?? 0;
  return total;
}

/** CPU seconds (every thread) used so far by one process; NaN once it has gone. */
export function processCpuSeconds(pid: number): number {
  return processTimes(pid)?.ownS ?? NaN;
}
