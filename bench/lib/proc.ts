import { readdirSync, readFileSync } from 'node:fs';

// CPU time and memory of processes from /proc (Linux): the bench's measurements of the service and of PostgreSQL
// backends, taken from the kernel's accounting rather than from the process itself.

/** Clock ticks per second for /proc/<pid>/stat times (USER_HZ: 100 on every Linux build in practice). */
const TICKS_PER_SECOND = 100;

export interface ProcessCpu {
  /** utime + stime of the process itself, in ms. */
  readonly selfMs: number;
  /** cutime + cstime: CPU of children it has waited for (e.g. spawned tools that have exited), in ms. */
  readonly reapedChildrenMs: number;
}

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: fields after it start at the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined; // the process has exited
  }
}

/** CPU of one process, or undefined when it has gone. Fields after the name: state=0, ppid=1, utime=11 … cstime=14. */
export function processCpu(pid: number): ProcessCpu | undefined {
  const fields = statFields(pid);
  if (!fields) return undefined;
  const ms = (index: number) => (Number(fields[index]) * 1000) / TICKS_PER_SECOND;
  return { selfMs: ms(11) + ms(12), reapedChildrenMs: ms(13) + ms(14) };
}

/** Every live descendant of `pid` (children, grandchildren, …). */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields) parentOf.set(Number(entry), Number(fields[1]));
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, ppid] of parentOf) if (ppid === parent) (found.push(child), queue.push(child));
  }
  return found;
}

/**
 * CPU of a process tree in ms: the process, the children it has reaped, and the children alive now (a spawned tool
 * still running at the moment of the sample).
 */
export function treeCpuMs(pid: number): number {
  const own = processCpu(pid);
  if (!own) return Number.NaN;
  let total = own.selfMs + own.reapedChildrenMs;
  for (const child of descendants(pid)) {
    const cpu = processCpu(child);
    if (cpu) total += cpu.selfMs + cpu.reapedChildrenMs;
  }
  return total;
}

/** Resident set size in MB (VmRSS), or NaN when the process has gone. */
export function rssMb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * Accumulates CPU of a changing set of processes (PostgreSQL backends come and go with the pool): each sample
 * records every listed pid's current CPU; the total is, per pid, its last sample minus its first (or its whole CPU
 * when it appeared after the first sample). CPU a process spends after its last sample before exiting is missed,
 * so sample often.
 */
export class ProcessSetCpu {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private started = false;

  sample(pids: readonly number[]): void {
    for (const pid of pids) {
      const cpu = processCpu(pid);
      if (!cpu) continue;
      const ms = cpu.selfMs + cpu.reapedChildrenMs;
      if (!this.first.has(pid)) this.first.set(pid, this.started ? 0 : ms);
      this.last.set(pid, ms);
    }
    this.started = true;
  }

  totalMs(): number {
    let total = 0;
    for (const [pid, last] of this.last) total += last - (this.first.get(pid) ?? 0);
    return total;
  }
}
