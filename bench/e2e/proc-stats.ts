// CPU time and memory of a process (and optionally its direct children, live and ended) from /proc, for the load benchmarks.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

interface Stat {
  readonly ppid: number;
  readonly cpuSeconds: number;
  /** What its children that ended (and were waited for) used: cutime plus cstime. */
  readonly endedChildrenSeconds: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: split after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
    return {
      ppid: Number(fields[1]),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLK_TCK,
      endedChildrenSeconds: (Number(fields[13]) + Number(fields[14])) / CLK_TCK,
    };
  } catch {
    return undefined;
  }
}

/**
 * User plus system CPU seconds of a process; with children, its live direct children are added, and
 * what its ended children used (a PostgreSQL backend whose connection closed during the window
 * would otherwise take its CPU out of the sum).
 */
export function cpuSeconds(pid: number, options: { children?: boolean } = {}): number {
  const own = readStat(pid);
  if (options.children !== true) return own?.cpuSeconds ?? 0;
  // A child waited for between reading the parent and scanning /proc would be in neither: scan
  // again until the parent's ended-children time holds still across a scan.
  for (let before = own; ;) {
    let live = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readStat(Number(entry));
      if (stat?.ppid === pid) live += stat.cpuSeconds;
    }
    const after = readStat(pid);
    if (after === undefined || after.endedChildrenSeconds === before?.endedChildrenSeconds) {
      return (after?.cpuSeconds ?? before?.cpuSeconds ?? 0) + (after?.endedChildrenSeconds ?? 0) + live;
    }
    before = after;
  }
}

/** Resident set size and its peak (VmRSS, VmHWM) in bytes; 0 when the process is gone. */
export function memory(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kib('VmRSS'), peak: kib('VmHWM') };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

/** Measures a process's CPU over a window: call stop() at the end for seconds used and cores busy. */
export function cpuWindow(pid: number, options: { children?: boolean } = {}) {
  const start = cpuSeconds(pid, options);
  const started = performance.now();
  return {
    stop(): { seconds: number; cores: number } {
      const seconds = cpuSeconds(pid, options) - start;
      return { seconds, cores: seconds / ((performance.now() - started) / 1000) };
    },
  };
}

/** The machine's CPU time by state, summed over all cores, from the `cpu` line of /proc/stat. */
function machineTicks(): { total: number; idle: number; steal: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    // user nice system idle iowait irq softirq steal (guest time is counted in user already).
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1, 9)
      .map(Number);
    const all = [user, nice, system, idle, iowait, irq, softirq, steal];
    if (all.some((n) => n === undefined || !Number.isFinite(n))) return undefined;
    return {
      total: all.reduce((a, b) => a! + b!, 0)!,
      idle: idle! + iowait!,
      steal: steal!,
    };
  } catch {
    return undefined;
  }
}

/**
 * The whole machine over a window: the share of its CPU time left idle, and the share the
 * hypervisor gave to other guests (steal). Idle time next to a slow target says it waited rather
 * than computed; steal says the machine itself was slower than in a run without it.
 */
export function machineWindow() {
  const start = machineTicks();
  return {
    stop(): { idle: number; steal: number } | undefined {
      const end = machineTicks();
      if (start === undefined || end === undefined || end.total <= start.total) return undefined;
      const total = end.total - start.total;
      return { idle: (end.idle - start.idle) / total, steal: (end.steal - start.steal) / total };
    },
  };
}
