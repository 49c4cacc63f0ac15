/** The result of reading a file mode as a plan writes it. */
export type ParsedMode = { mode: number } | { error: string };

const OCTAL_DIGITS = /^[0-7]{1,4}$/;

/**
 * File modes are octal. YAML reads `0755` and `755` as the number 755 (and a YAML 1.1 reader
 * `0755` as 493), so a number is taken digit by digit as octal, and a number with an 8 or a 9 in
 * it, such as 493, is refused rather than guessed at. Strings: "0755", "755", "0o755".
 */
export function parseMode(value: unknown): ParsedMode {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && OCTAL_DIGITS.test(String(value))) return { mode: parseInt(String(value), 8) };
    const hint = Number.isInteger(value) && value >= 0 && value <= 0o7777 ? ` (${value} is ${formatMode(value)} written in decimal)` : '';
    return { error: `mode ${value} is not an octal file mode${hint}; write it in octal, like 0755 or "0644"` };
  }
  if (typeof value === 'string') {
    const digits = value.trim().replace(/^0o/i, '');
    if (OCTAL_DIGITS.test(digits) || /^0[0-7]{4}$/.test(digits)) return { mode: parseInt(digits, 8) };
    return { error: `mode ${JSON.stringify(value)} is not an octal file mode; write it like "0755" or 0644` };
  }
  return { error: 'mode must be an octal file mode, like 0755 or "0644"' };
}

/** `0755`: how modes are shown everywhere. */
export function formatMode(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
