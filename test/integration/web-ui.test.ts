import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { yaml } from '../support/config-dir';
import { eventually, startRunEnv, waitForOutput, waitForRunId, type CliProcess, type RunEnv } from '../support/run-env';
import { launchBrowser, type WebUiBrowser } from '../support/web-ui-browser';

const SCREENSHOTS = join(__dirname, '..', '..', 'test-artifacts', 'web-ui');

const CONFIG = yaml`
  jobs:
    deploy:
      actions:
        - name: install
          run: echo "installing on $HADES_HOST_NAME"
        - wait:
            message: "Canary healthy. Proceed?"
            timeout: 10m
    hello:
      actions:
        - run: echo "hello from $HADES_HOST_NAME"
  plans:
    release:
      steps:
        - { name: canary, job: deploy, targets: [all], limit: 1 }
        - { name: rollout, job: hello, targets: [all] }
`;

describe('the Temporal Web UI', () => {
  let env: RunEnv;
  let browser: WebUiBrowser;
  const runs: CliProcess[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchBrowser();
    env = await startRunEnv({ hosts: 2 });
    env.writeConfig('plan.yaml', CONFIG);
  });
  afterAll(async () => {
    for (const run of runs) run.child.kill();
    await browser?.close();
    await env?.stop();
  });

  it('shows the run, step, host and gate summaries, and opens the gate with Send a Signal', async () => {
    const run = env.start(['run', 'release', '-c', env.configDir], { HADES_UI_URL: env.server.uiUrl });
    runs.push(run);
    const runId = await waitForRunId(run);
    const url = await waitForOutput(run, /Web UI: (\S+)/);
    await waitForOutput(run, /gate: Canary healthy/);
    expect(url).toBe(`${env.server.uiUrl}/namespaces/default/workflows/${runId}`);
    const canary = env.fleet.hosts[0];

    const page = await browser.context.newPage();
    await page.goto(url);
    await visible(page, `canary · batch 1/1 · ${canary.name} (${canary.addr}) · job deploy`);
    await visible(page, 'gate · canary · batch 1/1: Canary healthy. Proceed? (times out after 10m)');
    await page.getByRole('heading', { name: 'Timeline' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, '1-timeline.png') });

    await page.getByRole('tab', { name: 'User Metadata' }).click();
    const metadata = await eventually('the run summary, details and current details', async () => {
      const text = await framesText(page);
      return text.includes('Waiting at a gate') ? text : undefined;
    });
    expect(metadata).toContain('plan release: canary → rollout');
    expect(metadata).toContain('canary: job deploy on all, 1 host in 1 batch; gate “Canary healthy. Proceed?”');
    expect(metadata).toContain('rollout: job hello on all, 2 hosts in 1 batch');
    expect(metadata).toContain('Step 1 of 2: canary (job deploy, all at once)');
    expect(metadata).toContain(`Batch 1 of 1: ${canary.name}`);
    expect(metadata).toContain('Waiting at a gate: Canary healthy. Proceed? (times out after 10m)');
    await page.screenshot({ path: join(SCREENSHOTS, '2-user-metadata.png'), fullPage: true });

    await sendSignal(page, 'approve', '{"by": "web-ui", "comment": "looks good"}');
    const result = await run.done;

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('gate approved by web-ui: looks good');
    expect(result.stdout).toContain('Summary: run succeeded');
    await page.reload();
    await page.getByRole('status').getByText('Completed').waitFor({ timeout: 30_000 });
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await visible(page, 'rollout · batch 1/1 · host-02');
    await page.getByRole('heading', { name: 'Timeline' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, '4-succeeded.png') });
  });
});

async function visible(page: Page, text: string): Promise<void> {
  await page.getByText(text).first().waitFor({ state: 'visible', timeout: 30_000 });
}

/** The text of every frame: the Web UI renders summaries and details as Markdown in iframes. */
async function framesText(page: Page): Promise<string> {
  const texts = await Promise.all(page.frames().map((frame: Frame) => frame.locator('body').innerText().catch(() => '')));
  return texts.join('\n');
}

/** More Actions → Send a Signal, pick the signal the workflow offers, type its input, submit. */
async function sendSignal(page: Page, name: string, input: string): Promise<void> {
  await page.getByRole('button', { name: 'More Actions' }).click();
  await page.getByRole('menuitem', { name: 'Send a Signal' }).click();
  const dialog = page.getByRole('dialog', { name: 'Send a Signal' });
  await dialog.getByRole('button', { name: 'Select a signal' }).click();
  await page.getByRole('option', { name: new RegExp(`^${name} `) }).click();
  await dialog.getByRole('textbox', { name: 'Data' }).click();
  await page.keyboard.type(input);
  await page.screenshot({ path: join(SCREENSHOTS, '3-send-signal.png') });

  // The first click may only take focus from the input editor; the dialog closes once it is sent.
  const submit = dialog.getByRole('button', { name: 'Submit' });
  for (let attempt = 1; ; attempt++) {
    await submit.click();
    const sent = await dialog.waitFor({ state: 'hidden', timeout: 3_000 }).then(() => true, () => false);
    if (sent) return;
    if (attempt === 3) throw new Error('the Send a Signal dialog stayed open after three clicks on Submit');
  }
}
