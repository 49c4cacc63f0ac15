import { join, resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { loadConfig } from '../../config/load-config';
import type { Config } from '../../config/config';
import { resolveRunSpec } from '../../spec/resolve-run-spec';
import type { ActionSpec, RunSpec, WaitActionSpec } from '../../spec/run-spec';
import { runMasker } from '../../env/mask-secrets';
import { hostLocksOf, tooManyLocks } from '../../spec/host-locks';
import { checkRunSpecSize } from '../../spec/run-spec-size';
import { renderDryRun } from '../../ui/render-dry-run';
import { styleFor } from '../../ui/style';
import type { SearchAttributePair } from '@temporalio/common';
import { planBatches } from '../../rollout/plan-batches';
import { truncateBytes } from '../../util/truncate-bytes';
import { PLAN_WORKFLOW, type RunOptions } from '../../workflows/definitions';
import { RUN_ATTRIBUTES, type RunMemo } from '../../workflows/run-attributes';
import { attachRun } from '../attach-run';
import { parseCommandArgs, parseEnvPairs, TEMPORAL_OPTIONS, TEMPORAL_USAGE } from '../cli-args';
import { out, type Command } from '../command';
import { makeRunId } from '../run-id';
import { connectClient } from '../temporal-client';
import { findRegisteredAttributes } from '../registered-attributes';
import { readTemporalSettings, webUiUrl, type TemporalSettings } from '../temporal-settings';
import { UserError } from '../user-error';
import { listPlans } from './plans';
import { plural } from '../../util/plural';

const OPTIONS = {
  ...TEMPORAL_OPTIONS,
  'config-dir': { type: 'string', short: 'c', default: '.' },
  env: { type: 'string', short: 'e', multiple: true },
  target: { type: 'string', short: 't', multiple: true },
  'dry-run': { type: 'boolean' },
  scripts: { type: 'boolean' },
  'no-worker': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  'log-dir': { type: 'string', default: 'logs' },
  'accept-new-host-keys': { type: 'boolean' },
  'allow-concurrent': { type: 'boolean' },
} as const;

export const runCommand: Command = {
  name: 'run',
  summary: 'run a plan on its hosts, batch by batch, and follow it to the end',
  usage: [
    'usage: hades run <plan> [-c DIR] [-e KEY=VALUE]... [-t TARGET]... [--dry-run] [--no-worker] [--yes]',
    '',
    'Runs <plan> as one Temporal workflow and prints its progress until it ends; exits 0 when every',
    'host succeeded, 1 when the run failed. Without <plan>, lists the plans.',
    '',
    '  -c, --config-dir DIR   folder of hadesfiles (*.yaml, *.yml), merged (default .)',
    '  -e, --env KEY=VALUE    set a job variable; beats step, plan and job defaults (repeatable)',
    '  -t, --target NAME      run every step on this target or host instead of its own (repeatable)',
    '  --dry-run              print every command each host would run; connect to nothing',
    '  --scripts              with --dry-run, print the whole script with its exported variables',
    '  --no-worker            do not host a worker in this process; rely on `hades worker` processes',
    '  -y, --yes              approve every gate without asking (for unattended runs)',
    '  --log-dir DIR          where the in-process worker writes host logs (default logs)',
    '  --accept-new-host-keys record the key of a host that known_hosts lacks (a changed key still fails)',
    '  --allow-concurrent     run even while another run changes the same hosts (takes no host locks)',
    ...TEMPORAL_USAGE,
  ],
  async run(argv) {
    const { values, positionals } = parseCommandArgs('run', argv, OPTIONS);
    const config = loadConfig(values['config-dir']);
    const plan = positionals[0];
    if (!plan) {
      out('plans (run one with: hades run <plan>):');
      for (const line of listPlans(config)) out(line);
      return 0;
    }

    const runId = makeRunId(plan);
    const spec = resolveRunSpec(config, { plan, runId, cliEnv: parseEnvPairs(values.env), targets: values.target, acceptNewHostKeys: values['accept-new-host-keys'] });
    if (values['dry-run']) {
      for (const line of renderDryRun(spec, { scripts: values.scripts })) out(line);
      return 0;
    }
    checkStartable(spec, values['allow-concurrent'] === true);

    const settings = readTemporalSettings(values);
    const logDir = resolve(values['log-dir']);
    const { client, connection } = await connectClient(settings);
    try {
      const registered = await findRegisteredAttributes(connection, settings.namespace);
      const start: StartOptions = { client, settings, spec, config, registered, yes: values.yes, allowConcurrent: values['allow-concurrent'] };
      if (values['no-worker']) return await startAndFollow(start);

      const { installRuntime } = await import('../../worker/install-runtime');
      const { createWorker } = await import('../../worker/create-worker');
      installRuntime({ logFile: join(logDir, 'worker.log'), level: 'INFO', shutdownSignals: [] });
      const { worker, connection: workerConnection } = await createWorker({ settings, logDir });
      try {
        return await worker.runUntil(startAndFollow(start));
      } finally {
        await workerConnection.close();
      }
    } finally {
      await connection.close();
    }
  },
};

interface StartOptions {
  client: Client;
  settings: TemporalSettings;
  spec: RunSpec;
  config: Config;
  /** Hades' search attributes that the server has registered. */
  registered: Set<string>;
  yes?: boolean;
  allowConcurrent?: boolean;
}

/** Refuses, before anything starts, a run Temporal could not hold or that locks too many hosts. */
function checkStartable(spec: RunSpec, allowConcurrent: boolean): void {
  const tooBig = checkRunSpecSize(spec);
  if (tooBig) throw new UserError(`plan ${spec.plan} is too big to run: ${tooBig}`, 'move long scripts into files of the config directory and copy them to the hosts, or split the plan');
  const tooMany = allowConcurrent ? undefined : tooManyLocks(hostLocksOf(spec));
  if (tooMany) throw new UserError(`plan ${spec.plan} cannot lock its hosts: ${tooMany}`, 'run it with --allow-concurrent, making sure yourself that no other run changes these hosts');
}

async function startAndFollow({ client, settings, spec, registered, yes, allowConcurrent }: StartOptions): Promise<number> {
  const style = styleFor(process.stdout);
  const options: RunOptions = { searchAttributes: [...registered], ...(allowConcurrent ? { allowConcurrent: true } : {}) };
  const memo: RunMemo = { plan: spec.plan };
  const handle = await client.workflow.start(PLAN_WORKFLOW, {
    workflowId: spec.runId,
    taskQueue: settings.taskQueue,
    args: [spec, options],
    memo: { ...memo },
    typedSearchAttributes: startAttributes(spec, registered),
    staticSummary: truncateBytes(`plan ${spec.plan}: ${spec.steps.map((step) => step.name).join(' → ')}`, 200),
    staticDetails: describeRun(spec),
  });
  out(style.bold(`Run ${spec.runId}`) + ` started: plan ${spec.plan}, ${plural(spec.steps.length, 'step')}`);
  out(style.dim(`  Web UI: ${webUiUrl(settings, spec.runId)}`));

  return attachRun({ handle, settings, style, yes, masker: runMasker(spec.steps) });
}

/** The search attributes a run starts with, of those the server has registered. */
function startAttributes(spec: RunSpec, registered: Set<string>): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [
    { key: RUN_ATTRIBUTES.plan, value: truncateBytes(spec.plan, 1_024) },
    { key: RUN_ATTRIBUTES.gateOpen, value: false },
  ];
  return pairs.filter((pair) => registered.has(pair.key.name));
}

/** Markdown for the Web UI's "Summary & Details": the plan as it was resolved for this run. */
function describeRun(spec: RunSpec): string {
  const lines = [`**Plan** \`${spec.plan}\` from \`${spec.configDir}\``, ''];
  for (const [index, step] of spec.steps.entries()) {
    const batches = planBatches(step.hosts.map((host) => host.name), step.parallelism).length;
    const hosts = `${plural(step.hosts.length, 'host')} in ${plural(batches, 'batch', 'batches')}`;
    const gates = step.actions.filter(isGate).map((gate) => `gate "${gate.message ?? 'continue?'}"`);
    lines.push(`${index + 1}. **${step.name}**: job \`${step.job}\` on ${step.targets.join(', ')}, ${hosts}${gates.length ? `; ${gates.join(', ')}` : ''}`);
  }
  if (spec.steps.some((step) => step.actions.some(isGate))) {
    lines.push('', 'A gate waits for the signal `approve` (or `reject`), sent with "Send a Signal" or `hades approve <run-id>`.');
  }
  return lines.join('\n');
}

function isGate(action: ActionSpec): action is WaitActionSpec {
  return action.kind === 'wait';
}
