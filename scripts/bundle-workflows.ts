import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

// Bundled once at build time, so a worker starts without running webpack.
async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../src/workflows'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  const out = join(__dirname, '..', 'workflow-bundle.js');
  writeFileSync(out, code);
}

main().catch((error) => {
  console.error(`error: the workflow bundle could not be built: ${(error as Error).message}`);
  process.exit(1);
});
