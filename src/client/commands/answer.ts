import { styleFor } from '../../ui/style';
import { answerGate } from '../answer-gate';
import { parseCommandArgs, TEMPORAL_OPTIONS, TEMPORAL_USAGE } from '../cli-args';
import { out, type Command } from '../command';
import { operatorName } from '../operator';
import { connectClient, describeMissingRun } from '../temporal-client';
import { readTemporalSettings } from '../temporal-settings';
import { requireRunId } from '../open-run';

function gateCommand(decision: 'approve' | 'reject'): Command {
  const textOption = decision === 'approve' ? 'comment' : 'reason';
  return {
    name: decision,
    summary: decision === 'approve' ? 'open the gate a run waits at' : 'fail a run at the gate it waits at',
    usage: [
      `usage: hades ${decision} <run-id> [--${textOption} TEXT]`,
      '',
      `Sends the ${decision} signal to the run's open gate; exits 1 when no gate is open.`,
      '',
      `  --${textOption} TEXT${' '.repeat(13 - textOption.length)}recorded in the run with who answered`,
      ...TEMPORAL_USAGE,
    ],
    async run(argv) {
      const { values, positionals } = parseCommandArgs(decision, argv, { ...TEMPORAL_OPTIONS, [textOption]: { type: 'string' } });
      const runId = requireRunId(decision, positionals);

      const settings = readTemporalSettings(values);
      const { client, connection } = await connectClient(settings);
      try {
        const text = (values as Record<string, unknown>)[textOption] as string | undefined;
        const { gate } = await answerGate(client.workflow.getHandle(runId), { decision, by: operatorName(), text }).catch((error) => {
          throw describeMissingRun(error, runId, settings);
        });
        const style = styleFor(process.stdout);
        const done = decision === 'approve' ? 'approved' : 'rejected';
        if (gate) {
          out(`${style.ok(style.symbols.ok)} ${done} gate "${gate.message}" of ${runId} (step ${gate.step}, batch ${gate.batch + 1})`);
        } else {
          out(`${style.warn(style.symbols.gate)} sent "${decision}" to ${runId}, but no worker answered to say which gate is open`);
          out(`  it takes effect at the gate the run waits at once a worker serves task queue ${settings.taskQueue} (hades worker)`);
        }
        return 0;
      } finally {
        await connection.close();
      }
    },
  };
}

export const approveCommand = gateCommand('approve');
export const rejectCommand = gateCommand('reject');
