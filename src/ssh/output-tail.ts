/** Keeps the last lines of a stream, bounded in bytes, so results stored in history stay small. */
export class OutputTail {
  private text = '';

  constructor(private readonly maxBytes = 2048) {}

  push(chunk: Buffer | string): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (this.text.length > this.maxBytes * 2) this.text = this.text.slice(-this.maxBytes);
  }

  /** The last `lines` lines, at most `maxBytes` characters, without a trailing newline. */
  lines(lines = 20): string[] {
    const tail = this.text.slice(-this.maxBytes).replace(/\n$/, '');
    if (tail === '') return [];
    return tail.split('\n').slice(-lines);
  }
}
