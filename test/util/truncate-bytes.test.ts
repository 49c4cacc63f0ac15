import { truncateBytes } from '../../src/util/truncate-bytes';

describe('truncateBytes', () => {
  it.each([
    ['keeps text that fits', 'canary · batch 1/2', 200, 'canary · batch 1/2'],
    ['counts bytes, not characters: a middle dot takes two', 'a·b·c', 7, 'a·b·c'],
    ['cuts on a character boundary and marks the cut', 'a·b·c', 6, 'a·…'],
    ['never splits a character of four bytes', 'ab😀cd', 6, 'ab…'],
    ['keeps text of exactly the limit', 'abcd', 4, 'abcd'],
  ])('%s', (_title, text, maxBytes, expected) => {
    const cut = truncateBytes(text, maxBytes);

    expect(cut).toBe(expected);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(maxBytes);
  });
});
