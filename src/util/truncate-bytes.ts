/**
 * `text` cut to at most `maxBytes` of UTF-8, on a character boundary, with "…" when cut. Temporal
 * limits summaries in bytes, and names with `·` or `→` take more bytes than characters.
 */
export function truncateBytes(text: string, maxBytes: number): string {
  if (utf8Length(text) <= maxBytes) return text;

  const budget = maxBytes - utf8Length('…');
  let used = 0;
  let end = 0;
  for (const char of text) {
    const size = utf8Length(char);
    if (used + size > budget) break;
    used += size;
    end += char.length;
  }
  return `${text.slice(0, end)}…`;
}

/** UTF-8 length without Buffer or TextEncoder, so workflow code can use it. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
