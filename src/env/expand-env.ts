/**
 * `${NAME}` references in plan text. `$${` writes a literal `${`, so a command can still use the
 * shell's own `${...}` forms. `$NAME` without braces is left for the shell.
 */
const REFERENCE = /\$(\$?)\{([^}]*)\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface VariableReference {
  name: string;
  /** Offset of the `$` in the text. */
  offset: number;
}

/** Every `${NAME}` in `text`, in order; escaped `$${...}` is not a reference. */
export function findReferences(text: string): VariableReference[] {
  const references: VariableReference[] = [];
  for (const match of text.matchAll(REFERENCE)) {
    if (match[1] === '$') continue;
    references.push({ name: match[2], offset: match.index ?? 0 });
  }
  return references;
}

export function isVariableName(name: string): boolean {
  return NAME.test(name);
}

/**
 * Replaces every `${NAME}` with its value. A name without a value throws: loading checks every
 * reference first, so reaching one here is a bug, and nothing unknown may reach a host.
 */
export function expandVariables(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(REFERENCE, (whole, escape: string, name: string) => {
    if (escape === '$') return whole.slice(1);
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) throw new Error(`variable \${${name}} has no value`);
    return value;
  });
}
