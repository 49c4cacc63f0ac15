/**
 * A name that is safe as a file name, in a path and in a workflow id: letters, digits, `.`, `_`
 * and `-`, starting with a letter or a digit (so never `..` or an option).
 */
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function isPlainName(name: string): boolean {
  return PLAIN_NAME.test(name);
}
