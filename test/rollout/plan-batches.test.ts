import { parseParallelism, type Parallelism } from '../../src/rollout/parallelism';
import { applyLimit, planBatches } from '../../src/rollout/plan-batches';

function hosts(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `web-${i + 1}`);
}

/** The batch sizes that a step of `count` hosts with `parallelism` as written runs in. */
function sizes(count: number, written: unknown, limit?: number): number[] {
  const parallelism = parseParallelism(written) as Parallelism;

  return planBatches(applyLimit(hosts(count), limit), parallelism).map((batch) => batch.length);
}

describe('planBatches', () => {
  it.each<[string, number, unknown, number | undefined, number[]]>([
    ['the guide: 10 hosts, parallelism "3"', 10, '3', undefined, [3, 3, 3, 1]],
    ['a number instead of a string', 10, 3, undefined, [3, 3, 3, 1]],
    ['"40%" of 7 hosts (2.8, rounded down)', 7, '40%', undefined, [2, 2, 2, 1]],
    ['"10%" of 5 hosts (0.5, at least 1)', 5, '10%', undefined, [1, 1, 1, 1, 1]],
    ['limit 4, then "50%" of those 4', 10, '50%', 4, [2, 2]],
    ['no parallelism: one batch of all hosts', 10, undefined, undefined, [10]],
    ['serial, "1"', 3, '1', undefined, [1, 1, 1]],
    ['"5" of 10 hosts', 10, '5', undefined, [5, 5]],
    ['a batch wider than the step', 3, '10', undefined, [3]],
    ['"100%"', 7, '100%', undefined, [7]],
    ['"25%" of 10 hosts (2.5 → 2)', 10, '25%', undefined, [2, 2, 2, 2, 2]],
    ['"20%" of 10 hosts after limit 10 of 50', 50, '20%', 10, [2, 2, 2, 2, 2]],
    ['limit 1, the canary', 10, undefined, 1, [1]],
    ['limit above the host count', 3, '2', 5, [2, 1]],
  ])('%s', (_, count, written, limit, expected) => {
    expect(sizes(count, written, limit)).toEqual(expected);
  });

  it('keeps the hosts in order: batches are consecutive slices of the step\'s hosts', () => {
    expect(planBatches(hosts(5), { kind: 'count', count: 2 })).toEqual([
      ['web-1', 'web-2'],
      ['web-3', 'web-4'],
      ['web-5'],
    ]);
  });

  it('gives no batch for a step without hosts', () => {
    expect(planBatches([], { kind: 'all' })).toEqual([]);
    expect(planBatches([], { kind: 'count', count: 3 })).toEqual([]);
  });

  it('works on any kind of host value and does not change its input', () => {
    const input = Object.freeze([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);

    expect(planBatches(input, { kind: 'count', count: 2 })).toEqual([[{ name: 'a' }, { name: 'b' }], [{ name: 'c' }]]);
    expect(input).toHaveLength(3);
  });
});

describe('applyLimit', () => {
  it('keeps the first N hosts in their order', () => {
    expect(applyLimit(['c', 'a', 'b'], 2)).toEqual(['c', 'a']);
  });

  it('keeps every host when there is no limit, as a copy', () => {
    const input = ['a', 'b'];
    const output = applyLimit(input, undefined);

    expect(output).toEqual(['a', 'b']);
    expect(output).not.toBe(input);
  });
});
