import type { WorkflowHandle } from '@temporalio/client';
import type { Style } from '../ui/style';
import type { GateProgress } from '../workflows/progress';
import { answerGate } from './answer-gate';
import { err, out } from './command';
import { GatePrompt } from './gate-prompt';
import { operatorName } from './operator';
import { webUiUrl, type TemporalSettings } from './temporal-settings';

export interface GateAnswererOptions {
  /** Approve every gate without asking. */
  yes: boolean;
  runId: string;
  settings: TemporalSettings;
}

/** Answers gates for a followed run: the prompt on a terminal, `--yes`, or instructions otherwise. */
export class GateAnswerer {
  private readonly prompt = new GatePrompt();

  constructor(
    private readonly handle: WorkflowHandle,
    private readonly style: Style,
    private readonly options: GateAnswererOptions,
  ) {}

  open(gate: GateProgress): void {
    const by = operatorName();
    if (this.options.yes) {
      this.send({ decision: 'approve', by, text: 'approved with --yes', gate: gate.id });
      return;
    }
    if (process.stdin.isTTY) {
      this.prompt.ask(gate, (approved) =>
        this.send({ decision: approved ? 'approve' : 'reject', by, text: approved ? undefined : 'answered no at the prompt', gate: gate.id }),
      );
      return;
    }
    out(`    approve: hades approve ${this.options.runId}    reject: hades reject ${this.options.runId} --reason "..."`);
    out(this.style.dim(`    or send the approve signal from the Web UI: ${webUiUrl(this.options.settings, this.options.runId)}`));
  }

  close(): void {
    this.prompt.cancel();
  }

  private send(input: Parameters<typeof answerGate>[1]): void {
    answerGate(this.handle, input).catch((error: Error) => err(this.style.warn(`  the gate could not be answered: ${error.message}`)));
  }
}
