import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { closestMatch, didYouMean } from '../util/suggest';
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
/**
 * Values a document may hold beyond one per character of its text. Without aliases a document
 * never reaches its own length; with them, a few lines could otherwise expand to millions of
 * values (each one checked and perhaps reported), within the alias count above.
 */
const EXPANSION_ALLOWANCE = 10_000;

/** The `*.yaml` and `*.yml` files of a config directory, sorted so every run merges them alike. */
export function listConfigFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((entry) => CONFIG_FILE.test(entry) && isFileOrBrokenLink(join(dir, entry)))
    .sort();
}

/** A file to read; a link to nowhere is kept too, so that reading it reports it. */
function isFileOrBrokenLink(path: string): boolean {
  if (!existsSync(path)) return lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
  return statSync(path).isFile();
}

/** Parses and checks the shape of one file, adding its problems to `problems`. */
export function readConfigFile(dir: string, file: string, problems: ConfigProblem[]): ParsedFile | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'is a link to a file that does not exist' : code === 'EACCES' ? 'is not readable' : `cannot be read (${code})`;
    problems.push({ message: `${file} ${why}`, hint: 'every *.yaml and *.yml file of the config directory is read: fix or remove it' });
    return undefined;
  }
  const lines = new LineCounter();
  const source = new SourceFile(file, parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false }), lines);
  const data = toData(source, text.length, problems);
  if (data === undefined) return undefined;

  const parsed = fileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    if (isForeignFile(data)) {
      problems.push({
        message: `${file} is not a hadesfile: it has none of the keys ${Object.keys(fileSchema.shape).join(', ')}`,
        at: source.locate([]),
        hint: 'every *.yaml and *.yml file of the config directory is read: point -c at the folder of your hadesfiles, or move this file out of it',
      });
      return undefined;
    }
    for (const issue of parsed.error.issues) problems.push(...issueProblems(source, issue));
    return undefined;
  }
  return { source, content: parsed.data };
}

/** The document as plain data; undefined, with the reasons in `problems`, when it can't be had. */
function toData(source: SourceFile, textLength: number, problems: ConfigProblem[]): unknown {
  const { doc } = source;
  if (doc.errors.length > 0) {
    for (const error of doc.errors) problems.push(yamlProblem(source, error.message, error.pos[0]));
    return undefined;
  }
  const keyProblems = [...duplicateKeyProblems(source), ...protoKeyProblems(source)];
  if (keyProblems.length > 0) {
    problems.push(...keyProblems);
    return undefined;
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (error) {
    problems.push({ ...yamlProblem(source, (error as Error).message, 0), hint: 'write the values out instead of nesting aliases this deep' });
    return undefined;
  }
  const limit = textLength + EXPANSION_ALLOWANCE;
  if (exceedsSize(data, limit)) {
    problems.push({
      message: `aliases expand this file to more than ${limit} values`,
      at: { file: source.file, line: 1, column: 1, path: '' },
      hint: 'write the values out, or alias fewer or smaller blocks',
    });
    return undefined;
  }
  return data;
}

/** Whether `data` holds more than `limit` values, counting each alias once per use. */
function exceedsSize(data: unknown, limit: number): boolean {
  const stack = [data];
  let count = 0;
  while (stack.length > 0) {
    const value = stack.pop();
    if (++count > limit) return true;
    if (typeof value === 'object' && value !== null) for (const child of Object.values(value)) stack.push(child);
  }
  return false;
}

/**
 * Keys written twice in one map. The parser's own check compares each key with every earlier one,
 * which takes seconds on an inventory of thousands of hosts; this one remembers the keys it saw.
 * `1` and `"1"` are the same key here, as they are once the document is plain data.
 */
function duplicateKeyProblems(source: SourceFile): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  visit(source.doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (seen.has(key)) problems.push(yamlProblem(source, 'Map keys must be unique', pair.key.range?.[0] ?? 0));
        seen.add(key);
      }
    },
  });
  return problems;
}

/**
 * `__proto__` as a key would set an object's prototype instead of naming a host, job or
 * variable, so the entry would vanish or leak into lookups; it is refused wherever it appears.
 */
function protoKeyProblems(source: SourceFile): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  visit(source.doc, {
    Pair(_, pair, ancestors) {
      if (!isScalar(pair.key) || pair.key.value !== '__proto__') return;
      const path = [...docPath([...ancestors, pair]), '__proto__'];
      problems.push({ message: '"__proto__" cannot be used as a name', at: source.locate(path, true), hint: 'choose another name' });
    },
  });
  return problems;
}

/** The document path of the innermost node of `ancestors` (a visitor's path to a node). */
function docPath(ancestors: readonly unknown[]): DocPath {
  const path: (string | number)[] = [];
  ancestors.forEach((node, index) => {
    const child = ancestors[index + 1];
    if (isSeq(node) && child !== undefined) path.push(node.items.indexOf(child as never));
    else if (isPair(node) && child !== undefined && isScalar(node.key)) path.push(String(node.key.value));
  });
  return path;
}

function yamlProblem(source: SourceFile, message: string, offset: number): ConfigProblem {
  const { line, col } = source.lines.linePos(offset);
  return { message: `invalid YAML: ${message.split('\n')[0]}`, at: { file: source.file, line, column: col, path: '' } };
}

/**
 * A map with no key of a hadesfile, nor a misspelling of one: a docker-compose.yml beside the
 * hadesfiles, say, rather than a hadesfile with typos.
 */
function isForeignFile(data: unknown): boolean {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const keys = Object.keys(data);
  const sections = Object.keys(fileSchema.shape);
  return keys.length > 0 && !keys.some((key) => sections.includes(key) || closestMatch(key, sections) !== undefined);
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
    const given = issue.input === null ? 'empty' : Array.isArray(issue.input) ? 'a list' : typeof issue.input === 'object' ? 'a map' : `a ${typeof issue.input}`;
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
