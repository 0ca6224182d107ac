import Mocha from 'mocha';

export const MARKER = '@@model-manager ';

/** Which attempt of a test this is, from 1 (mocha's typings hide `currentRetry`, which its runner sets). */
export function attemptOf(test: Mocha.Runnable): number {
  return (test as unknown as { currentRetry(): number }).currentRetry() + 1;
}

/** The first line of an error, short enough for a summary line, and the test file's line it was thrown from. */
export function reasonOf(error: Error): string {
  const first = (error.message || String(error)).split('\n')[0] ?? '';
  const reason = first.length > 240 ? `${first.slice(0, 237)}…` : first;
  const at = /\btest\/(?:[\w.-]+\/)*[\w.-]+\.test\.ts:\d+/.exec(error.stack ?? '')?.[0];
  return at ? `${reason} (at ${at})` : reason;
}

/**
 * More about a failed test for the run's summary (the e2e tier's notifications and log tail): a CI log keeps only
 * its end, where the summary is printed again.
 */
export function reportDetail(test: Mocha.Runnable, lines: readonly string[]): void {
  console.log(`${MARKER}${JSON.stringify({ kind: 'detail', title: test.fullTitle(), lines: lines.slice(0, 20) })}`);
}

/**
 * A mocha reporter for runs whose only channel out is console.log (the extension host forwards it to the
 * workbench driver): one line per test, a marker per failed or retried test (the run's summary lists them, so the
 * end of a long log names what failed), then one machine-readable summary line.
 */
export class LineReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const label = (options?.reporterOptions as { label?: string } | undefined)?.label ?? 'tests';
    let passed = 0;
    let failed = 0;
    runner.on('pass', (test) => {
      passed++;
      const retried = attemptOf(test) > 1 ? `, passed on attempt ${String(attemptOf(test))}` : '';
      console.log(`  ✔ ${test.fullTitle()} (${String(test.duration ?? 0)} ms${retried})`);
    });
    runner.on('fail', (test, error: Error) => {
      failed++;
      console.log(`  ✖ ${test.fullTitle()}\n      ${(error.stack ?? error.message).split('\n').join('\n      ')}`);
      console.log(`${MARKER}${JSON.stringify({ kind: 'failure', label, title: test.fullTitle(), reason: reasonOf(error) })}`);
    });
    // A retried attempt is shown whole, as a failure is: a test that passes on its second attempt is a flake to fix.
    runner.on(Mocha.Runner.constants.EVENT_TEST_RETRY, (test: Mocha.Test, error: Error) => {
      console.log(`  ↻ ${test.fullTitle()} failed on attempt ${String(attemptOf(test))}; trying again\n      ${(error.stack ?? error.message).split('\n').join('\n      ')}`);
      console.log(`${MARKER}${JSON.stringify({ kind: 'retried', label, title: test.fullTitle(), reason: reasonOf(error) })}`);
    });
    runner.on('pending', (test) => {
      console.log(`  - ${test.fullTitle()} (skipped)`);
    });
    runner.once('end', () => {
      console.log(`  ${label}: ${String(passed)} passed, ${String(failed)} failed`);
      console.log(`${MARKER}${JSON.stringify({ kind: 'summary', label, passed, failed })}`);
    });
  }
}
