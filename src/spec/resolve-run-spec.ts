import { userInfo } from 'node:os';
import { locate, type Config, type Entry, type Origin } from '../config/config';
import { ConfigError, type ConfigProblem } from '../config/config-error';
import type { ActionConfig } from '../config/action-schema';
import type { PlanConfig, StepConfig } from '../config/schema';
import { RESERVED_PREFIX } from '../env/builtin-env';
import { expandVariables, findReferences, isVariableName } from '../env/expand-env';
import { resolveJobEnv } from '../env/resolve-env';
import { resolveHosts } from '../inventory/resolve-hosts';
import { applyLimit } from '../rollout/plan-batches';
import { didYouMean } from '../util/suggest';
import { expandPath } from '../util/paths';
import type { ActionSpec, HostSpec, RunSpec, StepSpec } from './run-spec';

export interface RunRequest {
  plan: string;
  runId: string;
  /** `-e KEY=VALUE`, highest precedence. */
  cliEnv?: Record<string, string>;
  /** `-t TARGET`: replaces every step's targets. */
  targets?: string[];
  /** `--accept-new-host-keys`: record unknown host keys whatever ssh.host_key_policy says. */
  acceptNewHostKeys?: boolean;
  /** Where `${VAR}` in plan and step env values is read from, once. */
  osEnv?: Readonly<Record<string, string | undefined>>;
}

/** Turns a loaded config and a request into the RunSpec a workflow runs, or every reason it can't. */
export function resolveRunSpec(config: Config, request: RunRequest): RunSpec {
  const plan = config.plans.get(request.plan);
  if (!plan) throw new ConfigError([unknownPlan(config, request.plan)]);

  const problems: ConfigProblem[] = [];
  const cliEnv = checkCliEnv(request.cliEnv ?? {}, problems);
  checkCliEnvUsed(config, plan, cliEnv, problems);
  checkTargetOverride(config, request.targets, problems);
  const osEnv = request.osEnv ?? process.env;
  const planEnv = expandOsEnv(notOverridden(plan.value.env ?? {}, cliEnv), plan.origin, osEnv, problems);

  // A Map, not an object: a host named `constructor` or `toString` must not find Object's prototype.
  const hosts = new Map<string, HostSpec>();
  const steps = plan.value.steps.map((step, index) => {
    const origin: Origin = { source: plan.origin.source, path: [...plan.origin.path, 'steps', index] };
    const context = { config, plan, origin, cliEnv, planEnv, osEnv, problems };
    return resolveStep(step, request.targets ?? step.targets, context, hosts);
  });
  if (problems.length > 0) throw new ConfigError(problems);

  const knownHosts = config.ssh.knownHosts;
  const hostKeyPolicy = request.acceptNewHostKeys ? 'accept-new' : config.ssh.hostKeyPolicy;
  const registries = Object.fromEntries([...config.registries.values()].map(({ name, value }) => [name, { type: value.type, path: expandPath(value.path, config.dir) }]));
  return {
    registries,
    runId: request.runId,
    plan: request.plan,
    configDir: config.dir,
    ...(knownHosts ? { knownHostsFile: expandPath(knownHosts, config.dir) } : {}),
    ...(config.ssh.connectTimeoutMs ? { connectTimeoutMs: config.ssh.connectTimeoutMs } : {}),
    ...(hostKeyPolicy === 'accept-new' ? { hostKeyPolicy } : {}),
    hosts: Object.fromEntries(hosts),
    steps,
  };
}

interface StepContext {
  config: Config;
  plan: Entry<PlanConfig>;
  origin: Origin;
  cliEnv: Record<string, string>;
  planEnv: Record<string, string>;
  osEnv: Readonly<Record<string, string | undefined>>;
  problems: ConfigProblem[];
}

function resolveStep(step: StepConfig, targets: string[], context: StepContext, hosts: Map<string, HostSpec>): StepSpec {
  const { config, origin, problems } = context;
  const job = config.jobs.get(step.job)!;
  const stepHosts = applyLimit(resolveHosts(config, targets), step.limit);
  // An unknown `-t` target is reported once by checkTargetOverride, not again for every step.
  if (stepHosts.length === 0 && targets.every((target) => isTargetOrHost(config, target))) {
    problems.push({ message: `step "${step.name}" selects no hosts`, at: locate(origin, 'targets'), hint: `targets ${targets.join(', ')} list no hosts` });
  }
  for (const { name } of stepHosts) if (!hosts.has(name)) hosts.set(name, resolveHost(config, name));

  const stepEnv = expandOsEnv(notOverridden(step.env ?? {}, context.cliEnv), origin, context.osEnv, problems);
  const env = resolveJobEnv(job.value.env ?? {}, { cli: context.cliEnv, step: stepEnv, plan: context.planEnv });
  for (const name of env.missing) {
    problems.push({
      message: `step "${step.name}" runs job "${job.name}", which requires ${name}, and nothing sets it`,
      at: locate(origin),
      hint: `pass -e ${name}=VALUE, or set ${name} in the step's or the plan's env`,
    });
  }

  return {
    name: step.name,
    job: step.job,
    targets,
    hosts: stepHosts,
    parallelism: step.parallelism ?? { kind: 'all' },
    ...(step.limit !== undefined ? { limit: step.limit } : {}),
    env: env.values,
    ...secretNames(job.value.env ?? {}),
    actions: job.value.actions.map(toActionSpec),
    ...(job.value.local ? { local: true } : {}),
    ...(job.value.guard ? { guard: job.value.guard.if } : {}),
    ...(job.value.rerun_interrupted === false ? { rerunInterrupted: false as const } : {}),
    ...((step.retries ?? job.value.retries) ? { retries: step.retries ?? job.value.retries } : {}),
    ...(job.value.artifacts ? { artifacts: Object.fromEntries(Object.entries(job.value.artifacts).map(([name, { path }]) => [name, path])) } : {}),
  };
}

/** `secrets` for a step whose job declares secret variables; nothing otherwise. */
function secretNames(declared: Record<string, { secret?: boolean }>): { secrets?: string[] } {
  const names = Object.entries(declared).filter(([, declaration]) => declaration.secret).map(([name]) => name);
  return names.length > 0 ? { secrets: names } : {};
}

function resolveHost(config: Config, name: string): HostSpec {
  const host = config.hosts.get(name)!.value;
  return {
    name,
    addr: host.addr,
    port: host.port ?? 22,
    user: host.user ?? currentUser(),
    ...(host.identity_file ? { identityFile: expandPath(host.identity_file, config.dir) } : {}),
  };
}

function toActionSpec(action: ActionConfig, index: number): ActionSpec {
  return { ...action, index };
}

/** `${VAR}` in plan and step env values comes from the OS environment, read once at start. */
function expandOsEnv(env: Record<string, string>, origin: Origin, osEnv: StepContext['osEnv'], problems: ConfigProblem[]): Record<string, string> {
  const values: Record<string, string> = {};
  const defined: Record<string, string> = {};
  for (const [key, value] of Object.entries(osEnv)) if (value !== undefined) defined[key] = value;

  for (const [name, text] of Object.entries(env)) {
    const missing = findReferences(text).filter((ref) => !Object.hasOwn(defined, ref.name));
    for (const ref of missing) {
      problems.push({
        message: `env ${name} uses \${${ref.name}}, which is not set in the environment`,
        at: locate(origin, 'env', name),
        hint: isVariableName(ref.name) ? `export ${ref.name} before running hades, or pass -e ${name}=VALUE` : `a variable name is ASCII letters, digits and _; write $\${...} for a literal \${...}`,
      });
    }
    if (missing.length === 0) values[name] = expandVariables(text, defined);
  }
  return values;
}

/** The entries of `env` that `-e` does not set: a value `-e` overrides is never used, so never read. */
function notOverridden(env: Record<string, string>, cliEnv: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !Object.hasOwn(cliEnv, name)));
}

function checkCliEnv(env: Record<string, string>, problems: ConfigProblem[]): Record<string, string> {
  for (const name of Object.keys(env)) {
    if (name.startsWith(RESERVED_PREFIX)) problems.push({ message: `-e ${name}: HADES_* variables are set by Hades itself`, hint: 'choose a name without the HADES_ prefix' });
    else if (!isVariableName(name)) problems.push({ message: `-e ${name}: not a variable name`, hint: 'use letters, digits and _, not starting with a digit' });
  }
  return env;
}

/** An `-e` that no job of the plan declares would change nothing: most likely a misspelt name. */
function checkCliEnvUsed(config: Config, plan: Entry<PlanConfig>, env: Record<string, string>, problems: ConfigProblem[]): void {
  const declared = [...new Set(plan.value.steps.flatMap((step) => Object.keys(config.jobs.get(step.job)?.value.env ?? {})))];
  for (const name of Object.keys(env)) {
    if (declared.includes(name) || name.startsWith(RESERVED_PREFIX) || !isVariableName(name)) continue;
    problems.push({
      message: `-e ${name}: no job of plan "${plan.name}" declares ${name}, so it would change nothing`,
      hint: declared.length > 0 ? `${didYouMean(name, declared)}the plan's jobs declare ${declared.join(', ')}` : `the plan's jobs declare no variables`,
    });
  }
}

function checkTargetOverride(config: Config, targets: string[] | undefined, problems: ConfigProblem[]): void {
  const known = [...config.targets.keys(), ...config.hosts.keys()];
  for (const target of targets ?? []) {
    if (isTargetOrHost(config, target)) continue;
    problems.push({ message: `-t ${target}: neither a target nor a host`, hint: `${didYouMean(target, known)}defined targets and hosts: ${known.join(', ')}` });
  }
}

function isTargetOrHost(config: Config, name: string): boolean {
  return config.targets.has(name) || config.hosts.has(name);
}

function unknownPlan(config: Config, name: string): ConfigProblem {
  const plans = [...config.plans.keys()];
  return {
    message: `plan "${name}" is not defined`,
    hint: plans.length > 0 ? `${didYouMean(name, plans)}defined plans: ${plans.join(', ')}` : `no plan is defined in ${config.dir}`,
  };
}


/** The login name for hosts without `user`; a uid with no passwd entry (some containers) falls back to $USER. */
function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}
