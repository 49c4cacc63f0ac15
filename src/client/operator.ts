import { hostname, userInfo } from 'node:os';

/** Who answers a gate, as recorded in the run: `user@machine`, or HADES_OPERATOR when set. */
export function operatorName(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HADES_OPERATOR) return env.HADES_OPERATOR;
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the machine name still says where the answer came from.
  }
  return `${user}@${hostname()}`;
}
