import {
  batchSize,
  formatParallelism,
  PARALLELISM_HINT,
  parseParallelism,
  type Parallelism,
} from '../../src/rollout/parallelism';

describe('parseParallelism', () => {
  it.each<[unknown, Parallelism]>([
    [undefined, { kind: 'all' }],
    [null, { kind: 'all' }],
    ['1', { kind: 'count', count: 1 }],
    [1, { kind: 'count', count: 1 }],
    ['5', { kind: 'count', count: 5 }],
    [5, { kind: 'count', count: 5 }],
    [' 5 ', { kind: 'count', count: 5 }],
    ['1000', { kind: 'count', count: 1000 }],
    ['1%', { kind: 'percent', percent: 1 }],
    ['40%', { kind: 'percent', percent: 40 }],
    ['100%', { kind: 'percent', percent: 100 }],
  ])('reads %p as %p', (value, expected) => {
    expect(parseParallelism(value)).toEqual(expected);
  });

  it.each<[unknown, string]>([
    ['0', '"0"'],
    [0, '0'],
    ['0%', '"0%"'],
    ['-1', '"-1"'],
    [-1, '-1'],
    ['1.5', '"1.5"'],
    [1.5, '1.5'],
    ['101%', '"101%"'],
    ['1000%', '"1000%"'],
    ['12.5%', '"12.5%"'],
    ['-5%', '"-5%"'],
    ['%', '"%"'],
    ['', '""'],
    ['abc', '"abc"'],
    ['5 hosts', '"5 hosts"'],
    ['05', '"05"'],
    ['+5', '"+5"'],
    ['99999999999999999999', '"99999999999999999999"'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [true, 'true'],
    [[5], '[5]'],
    [{ count: 5 }, '{"count":5}'],
  ])('rejects %p, quoting it as %s', (value, shown) => {
    expect(parseParallelism(value)).toEqual({ error: `${shown} is not a parallelism; ${PARALLELISM_HINT}` });
  });

  it('words its hint as a person would fix the value', () => {
    expect(PARALLELISM_HINT).toBe('use a whole number of hosts (1 or more) or a percentage above 0% and at most 100%');
  });
});

describe('batchSize', () => {
  it.each<[Parallelism, number, number]>([
    [{ kind: 'all' }, 10, 10],
    [{ kind: 'all' }, 1, 1],
    [{ kind: 'count', count: 3 }, 10, 3],
    [{ kind: 'count', count: 20 }, 10, 20],
    [{ kind: 'percent', percent: 40 }, 7, 2],
    [{ kind: 'percent', percent: 40 }, 10, 4],
    [{ kind: 'percent', percent: 10 }, 5, 1],
    [{ kind: 'percent', percent: 50 }, 4, 2],
    [{ kind: 'percent', percent: 100 }, 7, 7],
    [{ kind: 'percent', percent: 1 }, 1, 1],
    [{ kind: 'percent', percent: 29 }, 100, 29],
    [{ kind: 'percent', percent: 5 }, 1000, 50],
  ])('gives batches of %p for %i hosts a size of %i', (parallelism, hosts, size) => {
    expect(batchSize(parallelism, hosts)).toBe(size);
  });

  it('never gives a size of 0, even for a step without hosts', () => {
    expect(batchSize({ kind: 'all' }, 0)).toBe(1);
    expect(batchSize({ kind: 'percent', percent: 50 }, 0)).toBe(1);
  });
});

describe('formatParallelism', () => {
  it.each<[Parallelism, string]>([
    [{ kind: 'all' }, 'all at once'],
    [{ kind: 'count', count: 1 }, '1 at a time'],
    [{ kind: 'percent', percent: 25 }, '25% at a time'],
  ])('describes %p as "%s"', (parallelism, text) => {
    expect(formatParallelism(parallelism)).toBe(text);
  });
});
