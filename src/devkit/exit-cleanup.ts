/**
 * Processes this one started and must not leave behind: if a test file or a script ends without
 * stopping its servers (a crash, a failed beforeAll), they are killed as the process exits.
 * Detached servers are never registered here: outliving us is their point.
 */
const ownedPids = new Set<number>();
let hooked = false;

/** Kills `pid` with SIGKILL when this process exits, unless {@link forgetOnExit} ran first. */
export function killOnExit(pid: number): void {
  ownedPids.add(pid);
  if (hooked) return;

  hooked = true;
  process.once('exit', () => {
    for (const owned of ownedPids) {
      try {
        process.kill(owned, 'SIGKILL');
      } catch {
        // Already gone: nothing to clean.
      }
    }
  });
}

/** Stops tracking `pid`, once it has been stopped on purpose. */
export function forgetOnExit(pid: number): void {
  ownedPids.delete(pid);
}
