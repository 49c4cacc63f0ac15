/** One `hades` subcommand: its help and what it does; returns the process exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string[];
  run(argv: string[]): Promise<number>;
}

/** Writes a line of results to stdout. */
export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Writes a line of diagnostics to stderr. */
export function err(line = ''): void {
  process.stderr.write(`${line}\n`);
}
