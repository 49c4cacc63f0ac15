/** `1 host`, `3 hosts`; `plural(2, 'batch', 'batches')` for the irregular ones. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
