import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCommandArgs } from '../cli-args';
import { out, type Command } from '../command';
import { UserError } from '../user-error';

/** The example `hades init` writes: file name → text. */
export const EXAMPLE_FILES: Record<string, string> = {
  'hadesfile.yaml': `# Jobs say what to do on a host; plans say on which hosts, in which order, in which batches.
# Try: hades plans -c .   then: hades run release -c . --dry-run   then: hades run release -c .

jobs:
  greet:
    env:
      GREETING:
        default: hello
        description: what each host says
    actions:
      - name: say hello
        run: echo "\${GREETING} from \${HADES_HOST_NAME} (\${HADES_HOST_ADDR}), step \${HADES_STEP}"
      - name: show the system
        run: uname -a && uptime

  approval:
    actions:
      - wait:
          message: "The canary looks fine. Roll out to every host?"
          timeout: 30m

plans:
  release:
    steps:
      - name: canary
        job: greet
        targets: [web]
        limit: 1
      - name: approve
        job: approval
        targets: [web]
        limit: 1
      - name: rollout
        job: greet
        targets: [web]
        parallelism: "50%"
        env:
          GREETING: hi again
`,
  'inventory.yaml': `# The hosts Hades may reach over SSH, and targets: ordered lists of them.
# The host key must be in ~/.ssh/known_hosts (ssh-keyscan 127.0.0.1 >> ~/.ssh/known_hosts).

hosts:
  local:
    addr: 127.0.0.1
    # user: defaults to you; port: 22; identity_file: your ssh-agent, else ~/.ssh/id_ed25519 and co.

targets:
  web: [local]
`,
};

export const initCommand: Command = {
  name: 'init',
  summary: 'write a small working example config (a job, a plan, one host) into an empty folder',
  usage: [
    'usage: hades init [DIR]',
    '',
    'Writes hadesfile.yaml (a job and a plan: canary, gate, rollout) and inventory.yaml (one host,',
    'this machine on 127.0.0.1) into DIR (default .), which must be empty or not exist yet.',
  ],
  async run(argv) {
    const { positionals } = parseCommandArgs('init', argv, {});
    const dir = resolve(positionals[0] ?? '.');
    const written = writeExample(dir);
    const shown = positionals[0] ?? '.';
    out(`wrote ${written.map((file) => join(shown, file)).join(', ')}`);
    out('next:');
    out(`  hades plans -c ${shown}                     the plan and its steps`);
    out(`  hades run release -c ${shown} --dry-run     what each host would run`);
    out(`  hades dev --detach && hades run release -c ${shown}`);
    return 0;
  },
};

/** Writes the example into `dir`, creating it; refuses a folder that holds anything. */
export function writeExample(dir: string): string[] {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UserError(`${dir} is a file, not a folder`, 'name a new or empty folder: hades init DIR');
    const entries = readdirSync(dir);
    if (entries.length > 0) {
      throw new UserError(`${dir} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}); hades init writes only into an empty folder`, 'name a new folder: hades init DIR');
    }
  }
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(EXAMPLE_FILES)) writeFileSync(join(dir, name), text, { flag: 'wx' });
  return Object.keys(EXAMPLE_FILES);
}
