import fs from 'node:fs';

/** The last `lines` lines of a log file, indented for an error message; a note if unreadable. */
export function readLogTail(file: string, lines = 20): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return `    (log ${file} is unreadable: ${(err as Error).message})`;
  }

  const tail = text.trimEnd().split('\n').slice(-lines);
  if (tail.length === 1 && tail[0] === '') return `    (log ${file} is empty)`;
  return tail.map((line) => `    ${line}`).join('\n');
}
