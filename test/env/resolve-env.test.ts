import type { EnvDeclaration } from '../../src/config/schema';
import { resolveJobEnv } from '../../src/env/resolve-env';

const required: EnvDeclaration = { required: true, default: undefined, description: undefined };

function withDefault(value: string): EnvDeclaration {
  return { required: false, default: value, description: undefined };
}

const none = { cli: {}, step: {}, plan: {} };

describe('resolveJobEnv', () => {
  it.each([
    ['the CLI over the step, the plan and the default', { cli: { V: 'cli' }, step: { V: 'step' }, plan: { V: 'plan' } }, 'cli'],
    ['the step over the plan and the default', { cli: {}, step: { V: 'step' }, plan: { V: 'plan' } }, 'step'],
    ['the plan over the default', { cli: {}, step: {}, plan: { V: 'plan' } }, 'plan'],
    ['the default when no layer sets it', none, 'default'],
    ['an empty CLI value over everything else', { cli: { V: '' }, step: { V: 'step' }, plan: {} }, ''],
  ])('takes %s', (_, layers, expected) => {
    expect(resolveJobEnv({ V: withDefault('default') }, layers)).toEqual({ values: { V: expected }, missing: [] });
  });

  it('treats an empty-string default as a default, not as missing', () => {
    expect(resolveJobEnv({ V: withDefault('') }, none)).toEqual({ values: { V: '' }, missing: [] });
  });

  it('reports a required variable that no layer sets, in declaration order', () => {
    const declared = { B: required, A: required, C: withDefault('c') };

    expect(resolveJobEnv(declared, none)).toEqual({ values: { C: 'c' }, missing: ['B', 'A'] });
  });

  it('fills a required variable from any layer', () => {
    expect(resolveJobEnv({ V: required }, { cli: {}, step: {}, plan: { V: 'plan' } })).toEqual({
      values: { V: 'plan' },
      missing: [],
    });
  });

  it('gives the job exactly the variables it declares, dropping the rest', () => {
    const layers = { cli: { EXTRA: '1' }, step: { OTHER: '2' }, plan: { V: 'plan', PLAN_ONLY: '3' } };

    expect(resolveJobEnv({ V: required }, layers)).toEqual({ values: { V: 'plan' }, missing: [] });
  });

  it('does not find a value for a variable named like an Object method on the prototype', () => {
    expect(resolveJobEnv({ constructor: required, toString: withDefault('t') }, none)).toEqual({
      values: { toString: 't' },
      missing: ['constructor'],
    });
  });
});
