import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { runLogDir, safeName } from '../../activities/host-log';
import { parseCommandArgs, TEMPORAL_OPTIONS, TEMPORAL_USAGE } from '../cli-args';
import { err, out, type Command } from '../command';
import { LogReader } from '../log-reader';
import { requireRunId, withRun } from '../open-run';
import { UserError } from '../user-error';

const POLL_MS = 300;
const STATUS_EVERY_MS = 1_000;

const OPTIONS = {
  ...TEMPORAL_OPTIONS,
  host: { type: 'string' },
  step: { type: 'string' },
  follow: { type: 'boolean', short: 'f' },
  'log-dir': { type: 'string', default: 'logs' },
} as const;

export const logsCommand: Command = {
  name: 'logs',
  summary: "print a run's host output, with a header per action, from this machine's logs",
  usage: [
    'usage: hades logs <run-id> [--host NAME] [--step NAME] [-f] [--log-dir DIR]',
    '',
    'Prints what the hosts of a run printed, from <log-dir>/<run-id>/<host>.log. Those files are',
    'written by the worker that ran each host, on its own machine: `hades run` writes them here,',
    'a `hades worker` elsewhere writes them there. With several hosts, each line starts with its host.',
    '',
    '  --host NAME            only this host',
    '  --step NAME            only the actions of this step',
    '  -f, --follow           keep printing new output until the run ends',
    '  --log-dir DIR          the worker\'s log folder (default logs)',
    ...TEMPORAL_USAGE,
  ],
  async run(argv) {
    const { values, positionals } = parseCommandArgs('logs', argv, OPTIONS);
    const runId = requireRunId('logs', positionals);
    const dir = runLogDir(resolve(values['log-dir']), runId);
    const view = new LogView(dir, { host: values.host, step: values.step });

    if (!values.follow) {
      if (!existsSync(dir)) throw noLogs(runId, dir);
      view.printNew(true);
      view.checkFound(runId);
      return 0;
    }

    return withRun(runId, values, async ({ handle }) => {
      await followLogs(handle, view);
      if (!existsSync(dir)) throw noLogs(runId, dir);
      view.checkFound(runId);
      return 0;
    });
  },
};

/** Prints new output until the run has ended, then what came last. */
async function followLogs(handle: WorkflowHandle, view: LogView): Promise<void> {
  let lastCheck = 0;
  let warned = false;
  for (;;) {
    view.printNew(false);
    if (Date.now() - lastCheck >= STATUS_EVERY_MS) {
      lastCheck = Date.now();
      const { status } = await handle.describe();
      if (status.name !== 'RUNNING') break;
    }
    if (!warned && !existsSync(view.dir)) {
      warned = true;
      err(`no logs of ${handle.workflowId} in ${view.dir} yet; waiting for them until the run ends (a worker on another machine writes them there)`);
    }
    await sleep(POLL_MS);
  }
  view.printNew(true);
}

interface ViewFilter {
  host?: string;
  step?: string;
}

/** The host logs of one run, each read from where it stopped, printed with host prefixes. */
class LogView {
  private readonly readers = new Map<string, LogReader>();

  constructor(
    readonly dir: string,
    private readonly filter: ViewFilter,
  ) {}

  printNew(flush: boolean): void {
    this.discover();
    const prefixed = this.filter.host === undefined;
    const width = Math.max(0, ...[...this.readers.keys()].map((host) => host.length));
    for (const [host, reader] of this.readers) {
      for (const line of reader.readLines(flush)) out(prefixed ? `${host.padEnd(width)} | ${line}` : line);
    }
  }

  /** Fails when the filter matched nothing, naming what there is. */
  checkFound(runId: string): void {
    const hosts = this.hostFiles().map((file) => file.slice(0, -'.log'.length));
    if (this.filter.host !== undefined && this.readers.size === 0) {
      throw new UserError(`no log of host ${this.filter.host} for run ${runId} in ${this.dir}`, hosts.length ? `hosts with logs here: ${hosts.join(', ')}` : undefined);
    }
    if (this.filter.step === undefined) return;
    const steps = new Set([...this.readers.values()].flatMap((reader) => [...reader.steps]));
    if (!steps.has(this.filter.step)) {
      throw new UserError(`no output of step ${this.filter.step} in the logs of run ${runId}`, steps.size ? `steps with output here: ${[...steps].join(', ')}` : undefined);
    }
  }

  private discover(): void {
    for (const file of this.hostFiles()) {
      const host = file.slice(0, -'.log'.length);
      if (this.filter.host !== undefined && file !== `${safeName(this.filter.host)}.log`) continue;
      if (!this.readers.has(host)) this.readers.set(host, new LogReader(join(this.dir, file), this.filter.step));
    }
  }

  private hostFiles(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.log'))
      .map((entry) => entry.name)
      .sort();
  }
}

function noLogs(runId: string, dir: string): UserError {
  return new UserError(
    `no logs of run ${runId} here: ${dir} does not exist`,
    'host logs stay on the machine of the worker that ran the hosts (`hades run` writes to its --log-dir, default logs, in the folder it ran in; `hades worker` to its own --log-dir); run hades logs there, or pass --log-dir',
  );
}
