import Mocha from 'mocha';

export const MARKER = '@@model-manager ';

/**
 * A mocha reporter for runs whose only channel out is console.log (the extension host forwards it to the
 * workbench driver): one line per test, then one machine-readable summary line.
 */
export class LineReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const label = (options?.reporterOptions as { label?: string } | undefined)?.label ?? 'tests';
    let passed = 0;
    let failed = 0;
    runner.on('pass', (test) => {
      passed++;
      console.log(`  ✔ ${test.fullTitle()} (${String(test.duration ?? 0)} ms)`);
    });
    runner.on('fail', (test, error: Error) => {
      failed++;
      console.log(`  ✖ ${test.fullTitle()}\n      ${(error.stack ?? error.message).split('\n').join('\n      ')}`);
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
