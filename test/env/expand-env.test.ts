import { expandVariables, findReferences, isVariableName } from '../../src/env/expand-env';

describe('findReferences', () => {
  it.each<[string, { name: string; offset: number }[]]>([
    ['echo ${A}', [{ name: 'A', offset: 5 }]],
    ['${A}${B_2}', [{ name: 'A', offset: 0 }, { name: 'B_2', offset: 4 }]],
    ['echo $${A}', []],
    ['echo $A and $HOME', []],
    ['echo ${A-default}', [{ name: 'A-default', offset: 5 }]],
    ['echo ${}', [{ name: '', offset: 5 }]],
    ['echo ${A', []],
    ['no variables', []],
  ])('finds the references in %p', (text, references) => {
    expect(findReferences(text)).toEqual(references);
  });
});

describe('isVariableName', () => {
  it.each([
    ['VERSION', true],
    ['_private', true],
    ['a1_B2', true],
    ['1ST', false],
    ['MY-VAR', false],
    ['', false],
    ['A B', false],
    ['ÄRGER', false],
  ])('says %p is a variable name: %p', (name, expected) => {
    expect(isVariableName(name)).toBe(expected);
  });
});

describe('expandVariables', () => {
  const values = { VERSION: '1.2.3', EMPTY: '', DOLLAR: '$HOME ${X}' };

  it.each([
    ['./deploy.sh ${VERSION}', './deploy.sh 1.2.3'],
    ['[${EMPTY}]', '[]'],
    ['${VERSION}-${VERSION}', '1.2.3-1.2.3'],
    ['echo $${VERSION}', 'echo ${VERSION}'],
    ['echo $VERSION', 'echo $VERSION'],
    ['echo ${DOLLAR}', 'echo $HOME ${X}'],
  ])('expands %p to %p', (text, expected) => {
    expect(expandVariables(text, values)).toBe(expected);
  });

  it('does not expand a value again: a value holding ${...} reaches the host as written', () => {
    expect(expandVariables('${DOLLAR}', { DOLLAR: '${VERSION}', VERSION: 'x' })).toBe('${VERSION}');
  });

  it('throws on a name without a value instead of sending the text on', () => {
    expect(() => expandVariables('echo ${MISSING}', values)).toThrow('variable ${MISSING} has no value');
  });

  it('does not find values on Object\'s prototype', () => {
    expect(() => expandVariables('${constructor}', {})).toThrow('variable ${constructor} has no value');
    expect(() => expandVariables('${toString}', values)).toThrow('variable ${toString} has no value');
  });
});
