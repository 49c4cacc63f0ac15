import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { didYouMean } from '../util/suggest';
import type { ConfigProblem } from './config-error';
import { fileSchema, type ConfigFile } from './schema';
import { SourceFile, type DocPath } from './source-map';

export interface ParsedFile {
  source: SourceFile;
  content: ConfigFile;
}

const CONFIG_FILE = /\.ya?ml$/;
/** Past this many aliases a document is treated as an alias bomb rather than expanded. */
const MAX_ALIASES = 1000;

/** The `*.yaml` and `*.yml` files of a config directory, sorted so every run merges them alike. */
export function listConfigFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((entry) => CONFIG_FILE.test(entry) && statSync(join(dir, entry)).isFile())
    .sort();
}

/** Parses and checks the shape of one file, adding its problems to `problems`. */
export function readConfigFile(dir: string, file: string, problems: ConfigProblem[]): ParsedFile | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(join(dir, file), 'utf8'), { lineCounter: lines, prettyErrors: false });
  const source = new SourceFile(file, doc, lines);
  if (doc.errors.length > 0) {
    for (const error of doc.errors) problems.push(yamlProblem(source, error.message, error.pos[0]));
    return undefined;
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (error) {
    problems.push({ ...yamlProblem(source, (error as Error).message, 0), hint: 'write the values out instead of nesting aliases this deep' });
    return undefined;
  }

  const parsed = fileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(...issueProblems(source, issue));
    return undefined;
  }
  return { source, content: parsed.data };
}

function yamlProblem(source: SourceFile, message: string, offset: number): ConfigProblem {
  const { line, col } = source.lines.linePos(offset);
  return { message: `invalid YAML: ${message.split('\n')[0]}`, at: { file: source.file, line, column: col, path: '' } };
}

/** One problem per zod issue, worded for a person and pointed at the right node. */
function issueProblems(source: SourceFile, issue: z.core.$ZodIssue): ConfigProblem[] {
  const path = issue.path as DocPath;
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      message: `unknown key "${key}"`,
      at: source.locate([...path, key], true),
      hint: `${didYouMean(key, validKeys(issue.message))}${issue.message}`,
    }));
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    const key = path[path.length - 1];
    return [{ message: `missing key "${String(key)}"`, at: { ...source.locate(path.slice(0, -1)), path: source.locate(path).path } }];
  }
  return [{ message: describeIssue(issue), at: source.locate(path) }];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const given = issue.input === null ? 'empty' : Array.isArray(issue.input) ? 'a list' : `a ${typeof issue.input}`;
    return issue.message.startsWith('Invalid input') ? `must be ${article(issue.expected)}, not ${given}` : issue.message;
  }
  return issue.message;
}

function article(expected: string): string {
  const words: Record<string, string> = { object: 'a map', array: 'a list', record: 'a map' };
  return words[expected] ?? `a ${expected}`;
}

function validKeys(message: string): string[] {
  const list = message.replace(/^valid (keys here|action kinds) are /, '');
  return list === message ? [] : list.split(', ');
}
