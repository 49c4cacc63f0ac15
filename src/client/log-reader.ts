import { closeSync, openSync, readSync, statSync } from 'node:fs';

// `### <time> step <name> · action ...`: HostLog's header before each action's output.
const ACTION_HEADER = /^### \S+ step (.+?) · action /;

/**
 * Reads one host log from where it last stopped, in whole lines, keeping only the sections of
 * one step when asked. A section runs from an action header to the next one.
 */
export class LogReader {
  private offset = 0;
  private partial = '';
  private step: string | undefined;
  /** Steps seen in the log so far. */
  readonly steps = new Set<string>();

  constructor(
    readonly file: string,
    private readonly onlyStep?: string,
  ) {}

  /** The complete lines added since the last call; with `flush`, a last unterminated one too. */
  readLines(flush = false): string[] {
    const text = this.partial + this.readNew();
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    if (flush && this.partial !== '') {
      lines.push(this.partial);
      this.partial = '';
    }
    return lines.filter((line) => this.keep(line));
  }

  private keep(line: string): boolean {
    const header = ACTION_HEADER.exec(line);
    if (header) {
      this.step = header[1];
      this.steps.add(header[1]);
    }
    return this.onlyStep === undefined || this.step === this.onlyStep;
  }

  private readNew(): string {
    const size = statSync(this.file).size;
    if (size <= this.offset) return '';
    const buffer = Buffer.alloc(size - this.offset);
    const fd = openSync(this.file, 'r');
    try {
      const read = readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset += read;
      return buffer.subarray(0, read).toString('utf8');
    } finally {
      closeSync(fd);
    }
  }
}
