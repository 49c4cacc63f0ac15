import { BUILTIN_VARIABLES, builtinEnv, isBuiltinVariable, RESERVED_PREFIX } from '../../src/env/builtin-env';

describe('builtinEnv', () => {
  it('sets every HADES_* variable from the run, step and host', () => {
    const env = builtinEnv({
      plan: 'release',
      runId: 'release-20260101T000000Z-abcd',
      step: 'canary',
      target: 'web',
      hostName: 'web-1',
      hostAddr: '127.0.1.1',
    });

    expect(env).toEqual({
      HADES_PLAN: 'release',
      HADES_RUN_ID: 'release-20260101T000000Z-abcd',
      HADES_STEP: 'canary',
      HADES_TARGET: 'web',
      HADES_HOST_NAME: 'web-1',
      HADES_HOST_ADDR: '127.0.1.1',
    });
    expect(Object.keys(env).sort()).toEqual([...BUILTIN_VARIABLES].sort());
  });

  it('names every built-in with the reserved prefix', () => {
    for (const name of BUILTIN_VARIABLES) expect(name.startsWith(RESERVED_PREFIX)).toBe(true);
  });

  it.each([
    ['HADES_HOST_NAME', true],
    ['HADES_PLAN', true],
    ['HADES_VERSION', false],
    ['hades_plan', false],
    ['PLAN', false],
  ])('says %p is a built-in: %p', (name, expected) => {
    expect(isBuiltinVariable(name)).toBe(expected);
  });
});
