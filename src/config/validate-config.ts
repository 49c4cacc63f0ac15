import { findReferences, isVariableName } from '../env/expand-env';
import { BUILTIN_VARIABLES, isBuiltinVariable, RESERVED_PREFIX } from '../env/builtin-env';
import { isPlainName } from '../util/plain-name';
import { didYouMean } from '../util/suggest';
import type { ActionConfig } from './action-schema';
import type { ConfigProblem } from './config-error';
import { locate, locateKey, type Config, type Entry, type Origin } from './config';
import type { JobConfig, PlanConfig } from './schema';

/** Checks what no single file can: names that refer across files, and the env contract. */
export function validateConfig(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const host of config.hosts.values()) checkName(host, 'host', problems);
  for (const target of config.targets.values()) {
    checkName(target, 'target', problems);
    checkTarget(config, target, problems);
  }
  for (const job of config.jobs.values()) checkJob(config, job, problems);
  for (const plan of config.plans.values()) checkPlan(config, plan, problems);
  return problems;
}

function checkName(entry: Entry<unknown>, kind: 'host' | 'target', problems: ConfigProblem[]): void {
  // Host and target names end up in file names, logs and lock ids: plain words only.
  if (isPlainName(entry.name)) return;
  problems.push({
    message: `${kind} name ${JSON.stringify(entry.name)} is not allowed`,
    at: locateKey(entry.origin),
    hint: `use letters, digits, ".", "_" and "-", starting with a letter or a digit: ${kind} names become file names and appear in \${HADES_HOST_NAME}`,
  });
}

function checkTarget(config: Config, target: Entry<string[]>, problems: ConfigProblem[]): void {
  const host = config.hosts.get(target.name);
  if (host) {
    const at = locateKey(host.origin);
    problems.push({
      message: `target "${target.name}" has the name of a host`,
      at: locateKey(target.origin),
      hint: `a host name already stands for a target of that one host (defined at ${at.file}:${at.line}); rename the target`,
    });
  }
  target.value.forEach((host, index) => {
    if (config.hosts.has(host)) return;
    problems.push({
      message: `target "${target.name}" lists host "${host}", which is not defined`,
      at: locate(target.origin, index),
      hint: suggestion(host, [...config.hosts.keys()], 'defined hosts'),
    });
  });
}

function checkJob(config: Config, job: Entry<JobConfig>, problems: ConfigProblem[]): void {
  const declared = Object.keys(job.value.env ?? {});
  for (const name of declared) {
    const problem = checkDeclaredName(name, locateKey(job.origin, 'env', name));
    if (problem) problems.push(problem);
  }
  const uses = (field: (string | number)[], text: string, what: string) => {
    for (const { name } of findReferences(text)) {
      if (declared.includes(name) || isBuiltinVariable(name)) continue;
      problems.push({
        message: `${what} of job "${job.name}" uses \${${name}}, which the job does not declare`,
        at: locate(job.origin, ...field),
        hint: name.startsWith(RESERVED_PREFIX)
          ? `HADES_* names are Hades' own: ${BUILTIN_VARIABLES.join(', ')}`
          : isVariableName(name)
            ? `declare it under jobs.${job.name}.env (\`${name}:\` for a required value), or write $\${${name}} for a literal \${${name}}`
            : `a variable name is ASCII letters, digits and _; write $\${...} for a literal \${...}`,
      });
    }
  };
  if (job.value.guard) uses(['guard', 'if'], job.value.guard.if, 'the guard');
  for (const [name, artifact] of Object.entries(job.value.artifacts ?? {})) uses(['artifacts', name, 'path'], artifact.path, `artifact "${name}"`);
  job.value.actions.forEach((action, index) => {
    for (const [field, text] of actionTexts(action)) uses(['actions', index, ...field], text, `action ${index} (${action.kind})`);
    checkActionReferences(config, job, action, index, problems);
  });
}

/**
 * The texts of an action that may hold `${VAR}`, with the document path of each: every string
 * field but the label (the action's `name`), which is shown as written.
 */
export function actionTexts(action: ActionConfig): [path: (string | number)[], text: string][] {
  if (action.kind === 'run') return [[['run'], action.command]];
  const texts: [path: (string | number)[], text: string][] = [];
  for (const [field, value] of Object.entries(action)) {
    if (field !== 'kind' && field !== 'label' && typeof value === 'string') texts.push([[action.kind, field], value]);
  }
  return texts;
}

/** An artifact or registry an action names must exist; a name built from `${VAR}` is checked when it runs. */
function checkActionReferences(config: Config, job: Entry<JobConfig>, action: ActionConfig, index: number, problems: ConfigProblem[]): void {
  if ((action.kind === 'copy' || action.kind === 'push') && action.artifact !== undefined && !action.artifact.includes('${')) {
    const artifacts = Object.keys(job.value.artifacts ?? {});
    if (!artifacts.includes(action.artifact)) {
      problems.push({
        message: `action ${index} (${action.kind}) of job "${job.name}" uses artifact "${action.artifact}", which the job does not define`,
        at: locate(job.origin, 'actions', index, action.kind, 'artifact'),
        hint: artifacts.length > 0 ? `${didYouMean(action.artifact, artifacts)}job "${job.name}" defines ${artifacts.join(', ')}` : `define it under jobs.${job.name}.artifacts with its path`,
      });
    }
  }
  if ((action.kind === 'push' || action.kind === 'pull') && !action.registry.includes('${') && !config.registries.has(action.registry)) {
    problems.push({
      message: `action ${index} (${action.kind}) of job "${job.name}" uses registry "${action.registry}", which is not defined`,
      at: locate(job.origin, 'actions', index, action.kind, 'registry'),
      hint: suggestion(action.registry, [...config.registries.keys()], 'defined registries'),
    });
  }
}

function checkPlan(config: Config, plan: Entry<PlanConfig>, problems: ConfigProblem[]): void {
  for (const name of Object.keys(plan.value.env ?? {})) {
    const problem = checkDeclaredName(name, locateKey(plan.origin, 'env', name));
    if (problem) problems.push(problem);
  }
  plan.value.steps.forEach((step, index) => {
    const origin: Origin = { source: plan.origin.source, path: [...plan.origin.path, 'steps', index] };
    const job = config.jobs.get(step.job);
    if (!job) {
      problems.push({
        message: `step "${step.name}" uses job "${step.job}", which is not defined`,
        at: locate(origin, 'job'),
        hint: suggestion(step.job, [...config.jobs.keys()], 'defined jobs'),
      });
    }
    checkStepTargets(config, step.targets, origin, problems);
    checkStepEnv(step.env ?? {}, job, origin, problems);
  });
  checkStepNames(plan, problems);
}

function checkStepTargets(config: Config, targets: string[], origin: Origin, problems: ConfigProblem[]): void {
  const known = [...config.targets.keys(), ...config.hosts.keys()];
  targets.forEach((target, index) => {
    if (config.targets.has(target) || config.hosts.has(target)) return;
    problems.push({
      message: `target "${target}" is neither a target nor a host`,
      at: locate(origin, 'targets', index),
      hint: suggestion(target, known, 'defined targets and hosts'),
    });
  });
}

function checkStepEnv(env: Record<string, string>, job: Entry<JobConfig> | undefined, origin: Origin, problems: ConfigProblem[]): void {
  for (const name of Object.keys(env)) {
    const reserved = checkDeclaredName(name, locateKey(origin, 'env', name));
    if (reserved) {
      problems.push(reserved);
    } else if (job && !Object.hasOwn(job.value.env ?? {}, name)) {
      const declared = Object.keys(job.value.env ?? {});
      problems.push({
        message: `step env sets "${name}", which job "${job.name}" does not declare`,
        at: locateKey(origin, 'env', name),
        hint: declared.length > 0 ? `${didYouMean(name, declared)}job "${job.name}" declares ${declared.join(', ')}` : `job "${job.name}" declares no variables; add ${name} to its env`,
      });
    }
  }
}

function checkStepNames(plan: Entry<PlanConfig>, problems: ConfigProblem[]): void {
  const seen = new Set<string>();
  plan.value.steps.forEach((step, index) => {
    if (seen.has(step.name)) {
      problems.push({ message: `plan "${plan.name}" has two steps named "${step.name}"`, at: locate(plan.origin, 'steps', index, 'name'), hint: 'give each step its own name: runs, logs and the Web UI refer to steps by name' });
    }
    seen.add(step.name);
  });
}

function checkDeclaredName(name: string, at: ConfigProblem['at']): ConfigProblem | undefined {
  if (name.startsWith(RESERVED_PREFIX)) {
    return { message: `"${name}" is reserved: HADES_* variables are set by Hades itself`, at, hint: 'choose a name without the HADES_ prefix' };
  }
  if (!isVariableName(name)) {
    return { message: `"${name}" is not a variable name`, at, hint: 'use letters, digits and _, not starting with a digit' };
  }
  return undefined;
}

function suggestion(word: string, candidates: string[], label: string): string {
  if (candidates.length === 0) return `there are no ${label}`;
  return `${didYouMean(word, candidates)}${label}: ${candidates.slice(0, 12).join(', ')}${candidates.length > 12 ? ', …' : ''}`;
}
