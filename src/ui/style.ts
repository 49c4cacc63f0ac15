/** Colours and symbols on a terminal; plain words when NO_COLOR is set or output is a file. */
export interface Style {
  ok(text: string): string;
  bad(text: string): string;
  warn(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
  symbols: { ok: string; failed: string; started: string; skipped: string; gate: string; stopped: string };
}

const PLAIN: Style = {
  ok: (text) => text,
  bad: (text) => text,
  warn: (text) => text,
  dim: (text) => text,
  bold: (text) => text,
  symbols: { ok: 'ok', failed: 'FAILED', started: '..', skipped: 'skip', gate: 'GATE', stopped: 'stop' },
};

const ansi = (code: number) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;

const COLOURED: Style = {
  ok: ansi(32),
  bad: ansi(31),
  warn: ansi(33),
  dim: ansi(2),
  bold: ansi(1),
  symbols: { ok: '✔', failed: '✖', started: '●', skipped: '○', gate: '⏸', stopped: '■' },
};

export function styleFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Style {
  const colour = stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== 'dumb';
  return colour ? COLOURED : PLAIN;
}

export const plainStyle = PLAIN;
