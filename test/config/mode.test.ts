import { formatMode, parseMode } from '../../src/config/mode';

describe('parseMode', () => {
  it.each([
    [0o755, 755],
    [0o755, '0755'],
    [0o755, '755'],
    [0o755, '0o755'],
    [0o644, 644],
    [0o1777, 1777],
    [0o600, '0600'],
  ])('reads %o from %j', (expected, written) => {
    expect(parseMode(written)).toEqual({ mode: expected });
  });

  it('refuses a decimal number that is a mode in disguise, and shows how to write it', () => {
    expect(parseMode(493)).toEqual({ error: 'mode 493 is not an octal file mode (493 is 0755 written in decimal); write it in octal, like 0755 or "0644"' });
  });

  it.each([[800], [-1], [1.5], ['rwx'], ['0999'], [true], [77777]])('refuses %j', (written) => {
    expect(parseMode(written)).toHaveProperty('error');
  });

  it('formats modes with a leading zero', () => {
    expect(formatMode(0o644)).toBe('0644');
    expect(formatMode(0o4755)).toBe('04755');
  });
});
