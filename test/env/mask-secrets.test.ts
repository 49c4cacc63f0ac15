import { MASK, maskDeep, SecretMasker } from '../../src/env/mask-secrets';

describe('SecretMasker', () => {
  it.each<[string, string[], string]>([
    ['token is s3cr3t here', ['s3cr3t'], `token is ${MASK} here`],
    ['s3cr3t s3cr3t', ['s3cr3t'], `${MASK} ${MASK}`],
    ['nothing to hide', ['s3cr3t'], 'nothing to hide'],
    ['empty values hide nothing', [''], 'empty values hide nothing'],
    ['a.b*c (regex characters) stay literal: a.b*c', ['a.b*c'], `${MASK} (regex characters) stay literal: ${MASK}`],
    ["export TOKEN='it'\\''s'", ["it's"], `export TOKEN=${MASK}`],
    ['the longer value wins: abcdef', ['abc', 'abcdef'], `the longer value wins: ${MASK}`],
  ])('masks %p', (text, values, expected) => {
    expect(new SecretMasker(values).mask(text)).toBe(expected);
  });

  it('masks a value that spans lines when lines are masked together', () => {
    expect(new SecretMasker(['line1\nline2']).maskLines(['before', 'line1', 'line2', 'after'])).toEqual(['before', MASK, 'after']);
  });

  it('never cuts a stream inside a value, and holds back what may begin one', () => {
    const masker = new SecretMasker(['s3cr3t']);
    expect(masker.safeCut('output s3')).toBe('output s3'.length - 5);
    expect(masker.safeCut('x s3cr3t')).toBe('x s3cr3t'.length);
    expect(new SecretMasker([]).safeCut('anything')).toBe(8);
  });

  it('masks every string of a result, tails included, and leaves other values alone', () => {
    const result = { command: 'deploy --token s3cr3t', exitCode: 3, stderrTail: ['bad token s3cr3t'], nested: [{ detail: 's3cr3t' }] };
    expect(maskDeep(result, new SecretMasker(['s3cr3t']))).toEqual({
      command: `deploy --token ${MASK}`,
      exitCode: 3,
      stderrTail: [`bad token ${MASK}`],
      nested: [{ detail: MASK }],
    });
  });
});
