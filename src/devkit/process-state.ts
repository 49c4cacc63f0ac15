import fs from 'node:fs';

/**
 * True while `pid` runs. A zombie counts as gone: it no longer serves anything, and in a
 * container whose PID 1 does not reap orphans it would otherwise look alive forever.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return readProcessState(pid) !== 'Z';
}

/** The command line of `pid` joined by spaces, or undefined when it is gone or unreadable. */
export function readCommandLine(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

/** Every process below `pid` (children, their children, ...), from /proc; empty elsewhere. */
export function listDescendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const [child, parent] of readParentLinks()) {
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }

  const found: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    found.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return found;
}

function readParentLinks(): Array<[number, number]> {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }

  const links: Array<[number, number]> = [];
  for (const entry of entries) {
    const ppid = readStatField(Number(entry), 1);
    if (ppid !== undefined) links.push([Number(entry), Number(ppid)]);
  }
  return links;
}

function readProcessState(pid: number): string | undefined {
  return readStatField(pid, 0);
}

// /proc/PID/stat is "pid (comm) state ppid ...", and comm may hold spaces or parentheses, so
// fields are counted from the last ")".
function readStatField(pid: number, indexAfterComm: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[indexAfterComm];
  } catch {
    return undefined;
  }
}
