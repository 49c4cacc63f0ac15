import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { renderRunList, type RunListEntry } from '../../ui/render-run-list';
import { styleFor } from '../../ui/style';
import { PLAN_WORKFLOW } from '../../workflows/definitions';
import { RUN_ATTRIBUTES, type RunMemo } from '../../workflows/run-attributes';
import { parseCommandArgs, TEMPORAL_OPTIONS, TEMPORAL_USAGE } from '../cli-args';
import { err, out, type Command } from '../command';
import { findRegisteredAttributes, registrationCommand } from '../registered-attributes';
import { connectClient } from '../temporal-client';
import { readTemporalSettings } from '../temporal-settings';
import { UserError } from '../user-error';

/** `--status` values and the ExecutionStatus each selects; `waiting` also needs HadesGateOpen. */
const STATUSES: Record<string, string> = {
  running: 'Running',
  waiting: 'Running',
  succeeded: 'Completed',
  failed: 'Failed',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  'timed-out': 'TimedOut',
};

const STATUS_NAMES: Record<string, string> = {
  RUNNING: 'running',
  COMPLETED: 'succeeded',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed-out',
  CONTINUED_AS_NEW: 'continued-as-new',
};

const DEFAULT_LIMIT = 20;

export const listCommand: Command = {
  name: 'list',
  summary: 'list recent runs: plan, status, start, duration, failing host',
  usage: [
    'usage: hades list [--plan NAME] [--status STATUS] [--limit N] [--json]',
    '',
    'Lists recent runs from Temporal visibility, running ones first, then the most recently closed.',
    '',
    '  --plan NAME            only runs of this plan',
    '  --status STATUS        only runs in this state: running, waiting (at a gate), succeeded,',
    '                         failed, cancelled, terminated, timed-out',
    `  --limit N              at most N runs (default ${DEFAULT_LIMIT})`,
    '  --json                 print the runs as a JSON array, for scripts',
    ...TEMPORAL_USAGE,
  ],
  async run(argv) {
    const { values } = parseCommandArgs('list', argv, {
      ...TEMPORAL_OPTIONS,
      plan: { type: 'string' },
      status: { type: 'string' },
      limit: { type: 'string', default: String(DEFAULT_LIMIT) },
      json: { type: 'boolean' },
    });
    const limit = readLimit(values.limit);
    if (values.status !== undefined && !(values.status in STATUSES)) {
      const hint = `use one of ${Object.keys(STATUSES).join(', ')}`;
      throw new UserError(`--status ${values.status}: not a run status`, hint, 2);
    }

    const settings = readTemporalSettings(values);
    const { client, connection } = await connectClient(settings);
    try {
      const registered = await findRegisteredAttributes(connection, settings.namespace);
      const { plan, status } = values;
      const entries = await listRuns(client, buildFilter({ plan, status, registered, namespace: settings.namespace }), limit);
      if (values.json) {
        out(JSON.stringify(entries, null, 2));
        return 0;
      }
      for (const line of renderRunList(entries, styleFor(process.stdout))) out(line);
      return 0;
    } finally {
      await connection.close();
    }
  },
};

interface RunFilter {
  /** The visibility query. */
  query: string;
  /** The plan to keep, when the server cannot filter on HadesPlan. */
  plan?: string;
}

interface FilterOptions {
  plan?: string;
  status?: string;
  registered: Set<string>;
  namespace: string;
}

/** The visibility query for the flags, using Hades' search attributes where the server has them. */
function buildFilter({ plan, status, registered, namespace }: FilterOptions): RunFilter {
  const clauses = [`WorkflowType = ${quote(PLAN_WORKFLOW)}`];
  let keepPlan: string | undefined;
  if (plan !== undefined && registered.has(RUN_ATTRIBUTES.plan.name)) {
    clauses.push(`${RUN_ATTRIBUTES.plan.name} = ${quote(plan)}`);
  } else if (plan !== undefined) {
    keepPlan = plan;
    err(`note: search attribute ${RUN_ATTRIBUTES.plan.name} is not registered here,`);
    err(`  so every run is read to find those of plan ${plan}`);
    err(`  register it with: ${registrationCommand(RUN_ATTRIBUTES.plan.name, namespace)}`);
  }

  if (status !== undefined) clauses.push(`ExecutionStatus = ${quote(STATUSES[status])}`);
  if (status === 'waiting') {
    const name = RUN_ATTRIBUTES.gateOpen.name;
    if (!registered.has(name)) {
      throw new UserError(
        `--status waiting needs the search attribute ${name}, which this server has not registered`,
        `register it with: ${registrationCommand(name, namespace)}`,
      );
    }
    clauses.push(`${name} = true`);
  }
  return { query: clauses.join(' AND '), plan: keepPlan };
}

async function listRuns(client: Client, filter: RunFilter, limit: number): Promise<RunListEntry[]> {
  const entries: RunListEntry[] = [];
  const pageSize = filter.plan === undefined ? limit : 100;
  for await (const info of client.workflow.list({ query: filter.query, pageSize })) {
    const entry = describeRun(info);
    if (filter.plan !== undefined && entry.plan !== filter.plan) continue;
    entries.push(entry);
    if (entries.length >= limit) break;
  }
  return entries;
}

/** A run as the list shows it: search attributes first, the memo where they are not registered. */
function describeRun(info: WorkflowExecutionInfo): RunListEntry {
  const attributes = info.typedSearchAttributes;
  const memo = (info.memo ?? {}) as RunMemo;
  const gateOpen = attributes.get(RUN_ATTRIBUTES.gateOpen) === true;
  const status = STATUS_NAMES[info.status.name] ?? info.status.name.toLowerCase();
  const end = info.closeTime ?? new Date();
  const failedHost = attributes.get(RUN_ATTRIBUTES.failedHost) ?? memo.failedHost;
  const failure = attributes.get(RUN_ATTRIBUTES.failure) ?? memo.failure;
  const step = attributes.get(RUN_ATTRIBUTES.step);

  return {
    runId: info.workflowId,
    plan: attributes.get(RUN_ATTRIBUTES.plan) ?? memo.plan ?? planOfRunId(info.workflowId),
    status: status === 'running' && gateOpen ? 'waiting' : status,
    startedAt: info.startTime.toISOString(),
    ...(info.closeTime ? { finishedAt: info.closeTime.toISOString() } : {}),
    durationMs: Math.max(0, end.getTime() - info.startTime.getTime()),
    ...(step ? { step } : {}),
    ...(failedHost ? { failedHost } : {}),
    ...(failure ? { failure } : {}),
  };
}

/** A run id is `<plan>-<UTC time>-<random>`; this reads the plan back for a run with no memo. */
function planOfRunId(runId: string): string {
  return /^(.+)-\d{8}T\d{6}Z-[0-9a-f]+$/.exec(runId)?.[1] ?? '?';
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function readLimit(text: string): number {
  const limit = Number(text);
  if (Number.isInteger(limit) && limit >= 1 && limit <= 1000) return limit;
  throw new UserError(`--limit ${text}: expected a whole number from 1 to 1000`, undefined, 2);
}
