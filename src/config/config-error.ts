/** Where in the config a problem is: file, 1-based line and column, and the path in the document. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  path: string;
}

export interface ConfigProblem {
  message: string;
  at?: SourceLocation;
  hint?: string;
}

/** Every problem found in a config at once, so a user fixes them in one pass. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';

  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

/** `file:line:col path: message`, then the hint: the shape every config error is shown in. */
export function formatProblem(problem: ConfigProblem): string {
  const { at } = problem;
  const where = at ? `${at.file}:${at.line}:${at.column} ${at.path ? `${at.path}: ` : ''}` : '';
  const lines = [`${where}${problem.message}`];
  if (problem.hint) lines.push(`  hint: ${problem.hint}`);
  return lines.join('\n');
}

/** `plans.rollout.steps[1].parallelism` from a document path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text;
}
