/**
 * Ends a Jest run with one plain line, `N passed, N failed` (and `, N skipped` when some were),
 * for scripts that read the outcome from the last line of the output. A test file that could not
 * run at all (a syntax error, an import that throws) counts as one failure.
 */
class SummaryReporter {
  constructor(globalConfig) {
    this.watching = globalConfig.watch || globalConfig.watchAll;
  }

  onRunComplete(_contexts, results) {
    const passed = results.numPassedTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    let line = `${passed} passed, ${failed} failed`;
    if (skipped > 0) line += `, ${skipped} skipped`;

    // Jest prints its own summary after every custom reporter, so waiting for exit keeps ours last.
    const print = () => process.stdout.write(`\n${line}\n`);
    if (this.watching) print();
    else process.once('exit', print);
  }
}

module.exports = SummaryReporter;
