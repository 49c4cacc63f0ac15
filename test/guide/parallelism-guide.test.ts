import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { planBatches } from '../../src/rollout/plan-batches';
import { resolveRunSpec } from '../../src/spec/resolve-run-spec';
import type { RunSpec } from '../../src/spec/run-spec';
import { loadFiles, removeConfigDirs } from '../support/config-dir';

afterAll(removeConfigDirs);

/**
 * Every ```yaml example of the user's guide to rollouts must load, resolve and batch the way
 * the guide says. The guide's examples are fragments (a `steps:` list, or one `parallelism:`
 * line), so each is completed with the jobs and targets it names before it is loaded.
 */
const GUIDE = readFileSync(join(__dirname, '..', 'fixtures', 'parallelism-guide.md'), 'utf8');

interface Example {
  /** The closest heading, or bold lead-in of a paragraph, above the block. */
  heading: string;
  /** 1-based line of the opening fence in the guide. */
  line: number;
  text: string;
}

function extractExamples(markdown: string): Example[] {
  const examples: Example[] = [];
  let heading = '';
  let open: Example | undefined;
  markdown.split('\n').forEach((line, index) => {
    if (open && line.trim() === '```') {
      examples.push(open);
      open = undefined;
    } else if (open) {
      open.text += `${line}\n`;
    } else if (line.trim() === '```yaml') {
      open = { heading, line: index + 1, text: '' };
    } else if (/^#+ /.test(line)) {
      heading = line.replace(/^#+ /, '').trim();
    } else if (/^\*\*.+?\*\*/.test(line)) {
      heading = /^\*\*(.+?)\*\*/.exec(line)![1];
    }
  });
  return examples;
}

/**
 * The configurations an example shows: the block as written, each alternative after a line
 * `# OR`, a step's `# OR parallelism: …` comment in place of its parallelism, and the values
 * of a block that only holds `# Before: parallelism: …` comments.
 */
function variantsOf(text: string): string[] {
  return text.split(/^\s*# OR\s*$/m).flatMap((part) => {
    if (parse(part) === null) {
      return [...part.matchAll(/^#\s*\w+:\s+(parallelism: .+)$/gm)].map((match) => `${match[1].trim()}\n`);
    }
    const inline = /^(\s*)# OR (parallelism: "[^"]*")/m.exec(part);
    if (!inline) return [part];
    const [comment, indent, replacement] = inline;
    const written = new RegExp(`^${indent}parallelism: .*$`, 'm');
    const swapped = part.replace(comment, '').replace(written, `${indent}${replacement}`);
    return [part, swapped];
  });
}

/** Hosts per target: the guide's targets, and one fleet per size the guide gives advice for. */
const FLEETS: Record<string, number> = {
  'app-servers': 10,
  production: 50,
  'green-pool': 10,
  'blue-pool': 10,
  'lb-servers': 2,
  'us-east-servers': 10,
  'us-west-servers': 7,
  'eu-servers': 4,
  'small-fleet': 6,
  'medium-fleet': 30,
  'large-fleet': 200,
  'very-large-fleet': 600,
};
const GUIDE_TARGETS = Object.keys(FLEETS).slice(0, 8);

const JOBS: Record<string, unknown> = {
  deploy: { actions: [{ run: './deploy.sh' }] },
  'health-check': { actions: [{ run: 'curl -fsS http://localhost/health' }] },
  'update-load-balancer': { actions: [{ run: './switch-pool.sh green' }] },
  drain: { actions: [{ run: './drain.sh' }] },
  'restart-service': { actions: [{ run: 'systemctl restart app' }] },
  confirm: { actions: [{ wait: { message: 'Proceed?' } }] },
};

/** Loopback addresses only; numbered across every fleet so no two hosts share one. */
function inventory(targets: string[]): string {
  const hosts: Record<string, { addr: string }> = {};
  const lists: Record<string, string[]> = {};
  let count = 0;
  for (const target of targets) {
    lists[target] = Array.from({ length: FLEETS[target] }, (_, i) => `${target}-${String(i + 1).padStart(3, '0')}`);
    for (const name of lists[target]) {
      hosts[name] = { addr: `127.1.${Math.floor(count / 250)}.${(count % 250) + 1}` };
      count += 1;
    }
  }
  return stringify({ hosts, targets: lists });
}

/**
 * A complete config around one variant: a step list becomes plan `example`, a lone
 * `parallelism:` becomes the one step of `example`, deploying to `fleet`; jobs the example
 * defines itself replace ours.
 */
function completeConfig(variant: string, fleet: string) {
  const fragment = parse(variant) as { steps?: unknown[]; jobs?: Record<string, unknown>; parallelism?: unknown };
  const lone = { name: 'example', job: 'deploy', targets: [fleet], parallelism: fragment.parallelism };
  const steps = fragment.steps ?? [lone];
  const targets = [...new Set([...GUIDE_TARGETS, fleet])];

  return loadFiles({
    'inventory.yaml': inventory(targets),
    'jobs.yaml': stringify({ jobs: { ...JOBS, ...fragment.jobs } }),
    'example.yaml': stringify({ plans: { example: { steps } } }),
  });
}

function batchSizes(spec: RunSpec): Record<string, number[]> {
  return Object.fromEntries(
    spec.steps.map((step) => [step.name, planBatches(step.hosts, step.parallelism).map((batch) => batch.length)]),
  );
}

function times(count: number, size: number): number[] {
  return Array<number>(count).fill(size);
}

interface Expectation {
  heading: string;
  /** The fleet a lone `parallelism:` line is tried on. */
  fleet?: string;
  /** Per variant (see variantsOf), the batch sizes of each step by name. */
  batches: Record<string, number[]>[];
}

/** What the guide says of each example, in the order the examples appear. */
const EXPECTED: Expectation[] = [
  { heading: '1. Serial Execution (One at a Time)', batches: [{ 'careful-deploy': times(10, 1) }] },
  { heading: '2. Fixed Parallelism', batches: [{ 'batch-deploy': [5, 5] }] },
  { heading: '3. Percentage-Based Parallelism', batches: [{ 'gradual-rollout': [4, 4, 2] }] },
  { heading: '4. Full Parallel (Default)', batches: [{ 'fast-deploy': [10] }] },
  {
    heading: 'Canary Deployments',
    batches: [{ canary: [1], 'verify-canary': [1], rollout: [3, 3, 3, 1] }],
  },
  { heading: 'Abort on First Failure', batches: [{ 'deploy-batch-1': [5, 5] }] },
  {
    heading: 'Pattern 1: Progressive Rollout',
    batches: [{ canary: [1], 'small-batch': [5, 5], 'full-rollout': times(5, 10) }],
  },
  {
    heading: 'Pattern 2: Blue-Green Deployment',
    batches: [{ 'deploy-green': [5, 5], 'verify-green': [10], 'switch-traffic': [2], 'drain-blue': times(10, 1) }],
  },
  {
    heading: 'Pattern 3: Rolling Restart',
    batches: [{ 'rolling-restart': times(10, 1) }, { 'rolling-restart': times(5, 2) }],
  },
  {
    heading: 'Pattern 4: Multi-Region Deployment',
    batches: [{ 'deploy-us-east': [5, 5], 'verify-us-east': [10], 'deploy-us-west': [3, 3, 1], 'deploy-eu': [2, 2] }],
  },
  {
    heading: 'Interactive Gates',
    batches: [{ canary: [1], 'verify-canary': [1], 'approval-gate': [1], rollout: times(5, 10) }],
  },
  { heading: 'Small fleet (< 10 hosts)', fleet: 'small-fleet', batches: [{ example: times(6, 1) }] },
  {
    heading: 'Medium fleet (10-50 hosts)',
    fleet: 'medium-fleet',
    batches: [{ example: times(6, 5) }, { example: times(5, 6) }],
  },
  { heading: 'Large fleet (50-500 hosts)', fleet: 'large-fleet', batches: [{ example: times(10, 20) }] },
  { heading: 'Very large fleet (> 500 hosts)', fleet: 'very-large-fleet', batches: [{ example: times(20, 30) }] },
  {
    heading: 'Too slow',
    fleet: 'app-servers',
    batches: [{ example: times(10, 1) }, { example: [5, 5] }],
  },
  {
    heading: 'Too fast, overwhelming systems',
    fleet: 'app-servers',
    batches: [{ example: [5, 5] }, { example: times(10, 1) }],
  },
];

const examples = extractExamples(GUIDE);

describe('the parallelism guide', () => {
  it('has exactly the examples this test knows, in order', () => {
    expect(examples.map((example) => example.heading)).toEqual(EXPECTED.map((expected) => expected.heading));
  });

  describe.each(examples.map((example, index) => [example.heading, example.line, example, EXPECTED[index]] as const))(
    'example "%s" (line %i)',
    (_, __, example, expected) => {
      const variants = variantsOf(example.text);

      it('shows as many configurations as this test expects', () => {
        expect(variants).toHaveLength(expected.batches.length);
      });

      it.each(variants.map((variant, index) => [index + 1, variant, expected.batches[index]] as const))(
        'configuration %i loads, resolves and runs in the batches the guide describes',
        (_index, variant, batches) => {
          const config = completeConfig(variant, expected.fleet ?? 'app-servers');
          const spec = resolveRunSpec(config, { plan: 'example', runId: 'example-1', osEnv: {} });

          expect(batchSizes(spec)).toEqual(batches);
        },
      );

      it('gives each step the first hosts of its targets, in the order the targets list them', () => {
        for (const variant of variants) {
          const config = completeConfig(variant, expected.fleet ?? 'app-servers');
          const spec = resolveRunSpec(config, { plan: 'example', runId: 'example-1', osEnv: {} });

          for (const step of spec.steps) {
            const listed = step.targets.flatMap((target) => config.targets.get(target)?.value ?? []);
            expect(step.hosts.map((host) => host.name)).toEqual(listed.slice(0, step.limit ?? listed.length));
          }
        }
      });
    },
  );

  it('batches its worked example as it says: 10 hosts, parallelism "3"', () => {
    const section = GUIDE.slice(GUIDE.indexOf('## Batching Behavior'), GUIDE.indexOf('## Failure Handling'));
    const [, hostCount, parallelism] = /\*\*Example\*\*: (\d+) hosts, parallelism "(\d+)"/.exec(section)!;
    const described = [...section.matchAll(/^- Batch \d+: (\d+) hosts?/gm)].map((match) => Number(match[1]));
    const hosts = Array.from({ length: Number(hostCount) }, (_, i) => `web-${i + 1}`);

    const batches = planBatches(hosts, { kind: 'count', count: Number(parallelism) });

    expect(described).toEqual([3, 3, 3, 1]);
    expect(batches.map((batch) => batch.length)).toEqual(described);
  });

  it('loads the gate of its interactive example with the message and timeout it shows', () => {
    const gates = examples.find((example) => example.heading === 'Interactive Gates')!;
    const config = completeConfig(gates.text, 'app-servers');
    const spec = resolveRunSpec(config, { plan: 'example', runId: 'example-1', osEnv: {} });

    expect(spec.steps.find((step) => step.name === 'approval-gate')?.actions).toEqual([
      { kind: 'wait', index: 0, message: 'Canary healthy. Proceed with rollout?', timeoutMs: 300_000 },
    ]);
  });

  it('is kept verbatim in the fixture, a copy of our own guide', () => {
    expect(GUIDE.startsWith('# Hades Parallelism & Rollout Guide\n')).toBe(true);
    expect(examples).toHaveLength(17);
  });
});
