import { describeAction } from '../actions/render-action';
import { formatDuration } from '../util/duration';
import type { HostProgress, RunProgress, StepProgress } from '../workflows/progress';
import { countHosts } from '../workflows/progress';
import type { ProgressEvent } from './progress-events';
import type { Style } from './style';
import { plural } from '../util/plural';

/** The lines one event prints while a run is followed. */
export function renderEvent(event: ProgressEvent, style: Style): string[] {
  const { symbols } = style;
  switch (event.kind) {
    case 'step-started': {
      const { step } = event;
      const hosts = plural(step.hosts.length, 'host');
      return ['', style.bold(`Step ${step.index + 1}/${event.total}: ${step.name}`) + style.dim(` (job ${step.job}, targets ${step.targets.join(', ')}, ${hosts}, ${step.parallelism})`)];
    }
    case 'batch-started':
      return [`  Batch ${event.batch + 1}/${event.step.batches.length}: ${event.step.batches[event.batch].join(', ')}`];
    case 'host-started':
      return [`    ${style.dim(symbols.started)} ${hostName(event.host)} started`];
    case 'host-succeeded':
      return [
        `    ${style.ok(symbols.ok)} ${event.host.name} succeeded${took(event.host)}${rerunNote(event.host)}`,
        ...(event.host.notes ?? []).map((note) => style.dim(`        ${note}`)),
      ];
    case 'host-failed':
      return renderHostFailure(event.host, style);
    case 'host-skipped':
      return [`    ${style.dim(symbols.skipped)} ${event.host.name} skipped: ${event.host.skipped ?? 'its guard said no'}`];
    case 'host-interrupted':
      return [`    ${style.bad(symbols.stopped)} ${hostName(event.host)} interrupted${took(event.host)}: the run was cancelled and its command stopped`];
    case 'gate-opened': {
      const { gate, step } = event;
      const timeout = gate.timeoutMs === undefined ? 'waits until answered' : `times out after ${formatDuration(gate.timeoutMs)}`;
      return [`  ${style.warn(symbols.gate)} gate: ${gate.message} ${style.dim(`(step ${step.name}, batch ${gate.batch + 1}/${step.batches.length}, ${timeout})`)}`];
    }
    case 'gate-answered': {
      const { answer } = event;
      const who = answer.by ? ` by ${answer.by}` : '';
      const why = answer.comment ? `: ${answer.comment}` : '';
      const mark = answer.decision === 'approved' ? style.ok(symbols.ok) : style.bad(symbols.failed);
      if (answer.decision === 'timed-out') return [`  ${mark} gate timed out after ${formatDuration(answer.timeoutMs ?? 0)} with no answer`];
      return [`  ${mark} gate ${answer.decision}${who}${why}`];
    }
  }
}

function renderHostFailure(host: HostProgress, style: Style): string[] {
  const failure = host.failure;
  const lines = [`    ${style.bad(style.symbols.failed)} ${hostName(host)} failed${took(host)}`];
  if (!failure) return lines;

  lines.push(`        ${style.bad(`error[${failure.code}]`)} ${failure.message}`);
  const action = failure.action;
  if (action?.command !== undefined) lines.push(`        command: ${action.command.trim().split('\n').join('\n                 ')}`);
  if (action?.stderrTail.length) {
    lines.push('        last stderr lines:');
    for (const line of action.stderrTail.slice(-10)) lines.push(`          ${style.dim(line)}`);
  }
  if (failure.hint) lines.push(`        hint: ${failure.hint}`);
  return lines;
}

/** A running host's current action, as its heartbeat reported it. */
export function renderHostPosition(position: { host: string; action: string }, style: Style): string[] {
  return [`    ${style.dim(style.symbols.started)} ${position.host} at ${position.action}`];
}

/** The closing summary: per step, hosts by outcome; then what failed and what never started. */
export function renderSummary(progress: RunProgress, style: Style): string[] {
  const took = progress.finishedAt === undefined ? '' : ` in ${formatDuration(progress.finishedAt - progress.startedAt)}`;
  const verdict = progress.status === 'succeeded' ? style.ok(`run succeeded${took}`) : progress.status === 'running' ? 'run is running' : style.bad(`run ${progress.status}${took}`);
  const lines = ['', style.bold(`Summary: ${verdict}`) + style.dim(` (${progress.runId})`)];
  const width = Math.max(...progress.steps.map((step) => step.name.length));
  for (const step of progress.steps) lines.push(`  ${step.name.padEnd(width)}  ${describeCounts(step)}`);

  const failed = progress.steps.flatMap((step) => step.hosts.filter((host) => host.status === 'failed').map((host) => ({ step, host })));
  for (const { step, host } of failed) lines.push(`  ${style.bad(style.symbols.failed)} ${step.name}: ${host.name} (${host.addr}): ${describeFailure(host)}`);
  const notStarted = progress.steps.flatMap((step) => step.hosts.filter((host) => host.status === 'not-started').map((host) => `${step.name}/${host.name}`));
  const interrupted = progress.steps.flatMap((step) => step.hosts.filter((host) => host.status === 'interrupted').map((host) => `${step.name}/${host.name} (${host.addr})`));
  if (interrupted.length > 0) lines.push(`  ${style.bad(style.symbols.stopped)} interrupted: ${abbreviate(interrupted, 20)}`);
  if (progress.status !== 'succeeded' && notStarted.length > 0) lines.push(`  never started: ${abbreviate(notStarted, 20)}`);
  if (progress.failure && (failed.length === 0 || progress.status === 'cancelled')) lines.push(`  ${style.bad(progress.failure.message)}`);
  return lines;
}

function describeCounts(step: StepProgress): string {
  const counts = countHosts(step);
  const parts = [`${counts.succeeded} succeeded`];
  if (counts.failed) parts.push(`${counts.failed} failed`);
  if (counts.skipped) parts.push(`${counts.skipped} skipped by the guard`);
  if (counts.interrupted) parts.push(`${counts.interrupted} interrupted`);
  if (counts.stopped) parts.push(`${counts.stopped} stopped at a gate`);
  if (counts.running) parts.push(`${counts.running} running`);
  if (counts.waiting) parts.push(`${counts.waiting} waiting at a gate`);
  const notStarted = counts['not-started'] + counts.pending;
  if (notStarted) parts.push(`${notStarted} not started`);
  const took = step.startedAt !== undefined && step.finishedAt !== undefined ? ` in ${formatDuration(step.finishedAt - step.startedAt)}` : '';
  return `${parts.join(', ')} of ${step.hosts.length}${took}`;
}

function describeFailure(host: HostProgress): string {
  const failure = host.failure;
  if (!failure) return 'failed';
  const action = failure.action;
  // The summary line names the host already; the hint says what to check, on the same line.
  if (!action) return `${failure.code}: ${withoutHost(failure.message, host.name)}${failure.hint ? `; ${failure.hint}` : ''}`;
  const exit = action.exitCode === undefined ? action.detail : action.exitSignal ? `signal ${action.exitSignal}` : `exit code ${action.exitCode}`;
  const runs = action.attempts ? ` (ran ${action.attempts} times)` : '';
  return `action ${describeAction(action)}, ${exit}${runs}`;
}

function withoutHost(message: string, name: string): string {
  return message.startsWith(`${name} (`) ? message.replace(/^[^)]*\): /, '') : message;
}

function abbreviate(items: string[], max: number): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function hostName(host: HostProgress): string {
  return `${host.name} (${host.addr})`;
}

function took(host: HostProgress): string {
  return host.startedAt !== undefined && host.finishedAt !== undefined ? ` in ${formatDuration(host.finishedAt - host.startedAt)}` : '';
}

function rerunNote(host: HostProgress): string {
  return host.rerunActions?.length ? ` (action ${host.rerunActions.join(', ')} run again after a lost worker)` : '';
}
