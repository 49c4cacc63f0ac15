import { createInterface, type Interface } from 'node:readline';
import type { GateProgress } from '../workflows/progress';

/** Asks `<message> [y/N]` on the terminal; closes the question if the gate is answered elsewhere. */
export class GatePrompt {
  private open: Interface | undefined;

  ask(gate: GateProgress, onAnswer: (approved: boolean) => void): void {
    this.cancel();
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    this.open = rl;
    // readline keeps Ctrl-C to itself while it asks; pass it on, so it detaches as it does elsewhere.
    rl.on('SIGINT', () => process.emit('SIGINT'));
    rl.question(`  ${gate.message} [y/N] `, (reply) => {
      rl.close();
      if (this.open === rl) this.open = undefined;
      onAnswer(/^y(es)?$/i.test(reply.trim()));
    });
  }

  cancel(): void {
    if (!this.open) return;
    this.open.close();
    this.open = undefined;
    process.stderr.write('\n');
  }
}
