import { formatDuration } from '../util/duration';
import type { Style } from './style';

/** One run as `hades list` shows it; `--json` prints these as they are. */
export interface RunListEntry {
  runId: string;
  plan: string;
  /** running, waiting (running, at a gate), succeeded, failed, cancelled, terminated, timed-out. */
  status: string;
  startedAt: string;
  finishedAt?: string;
  /** Until now for a run that has not finished. */
  durationMs: number;
  /** The step that runs now, or the last one that ran. */
  step?: string;
  failedHost?: string;
  /** The failure type of a failed run: HOST_FAILED, GATE_REJECTED, GATE_TIMED_OUT. */
  failure?: string;
}

const HEADERS = ['RUN ID', 'PLAN', 'STATUS', 'STARTED (UTC)', 'DURATION', 'STEP', 'FAILED HOST'];

/** A table of runs, one line each, under a header line. */
export function renderRunList(entries: RunListEntry[], style: Style): string[] {
  if (entries.length === 0) return ['(no runs)'];

  const rows = entries.map((entry) => [
    entry.runId,
    entry.plan,
    entry.status,
    entry.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ''),
    formatDuration(entry.durationMs),
    entry.step ?? '-',
    entry.failedHost ?? '-',
  ]);
  const widths = HEADERS.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column].length)));
  // Pad before colouring: escape codes would count as width.
  const pad = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column])));
  const lines = [pad(HEADERS).map((cell) => style.bold(cell)).join('  ')];
  for (const [index, row] of rows.entries()) {
    const cells = pad(row);
    cells[2] = colourStatus(entries[index].status, cells[2], style);
    lines.push(cells.join('  '));
  }
  return lines;
}

function colourStatus(status: string, text: string, style: Style): string {
  if (status === 'succeeded') return style.ok(text);
  if (status === 'running') return text;
  if (status === 'waiting') return style.warn(text);
  return style.bad(text);
}
