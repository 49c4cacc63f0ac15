import { styleFor } from '../../ui/style';
import { attachRun } from '../attach-run';
import { parseCommandArgs, TEMPORAL_OPTIONS, TEMPORAL_USAGE } from '../cli-args';
import { out, type Command } from '../command';
import { requireRunId, withRun } from '../open-run';
import { webUiUrl } from '../temporal-settings';

export const watchCommand: Command = {
  name: 'watch',
  summary: 'attach to a run from any terminal and follow it to the end, as run does',
  usage: [
    'usage: hades watch <run-id> [--yes]',
    '',
    'Shows the run as `hades run` does: what already happened, then its events as they come, the',
    'gate prompt on a terminal, and the summary; exits 0 when the run succeeded, 1 otherwise.',
    'Ctrl-C detaches again; the run goes on.',
    '',
    '  -y, --yes              approve every gate without asking',
    ...TEMPORAL_USAGE,
  ],
  async run(argv) {
    const { values, positionals } = parseCommandArgs('watch', argv, { ...TEMPORAL_OPTIONS, yes: { type: 'boolean', short: 'y' } });
    const runId = requireRunId('watch', positionals);
    return withRun(runId, values, async ({ handle, description, settings }) => {
      const style = styleFor(process.stdout);
      const status = description.status.name.toLowerCase().replace(/_/g, ' ');
      out(style.bold(`Run ${runId}`) + ` (${status}, started ${description.startTime.toISOString()})`);
      out(style.dim(`  Web UI: ${webUiUrl(settings, runId)}`));
      return attachRun({ handle, settings, style, yes: values.yes });
    });
  },
};
