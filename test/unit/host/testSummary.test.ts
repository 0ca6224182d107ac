import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import Mocha from 'mocha';
import { attemptOf, LineReporter, MARKER, reportDetail } from '../../host/reporter';
import { fromSummary, summaryLines } from '../../host/tiers';

/** What the reporter prints for events a runner emits; console.log is taken over only while they are emitted. */
function reported(emit: (runner: EventEmitter) => void): string[] {
  const runner = new EventEmitter();
  const printed: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => { printed.push(parts.map(String).join(' ')); };
  try {
    new LineReporter(runner as unknown as Mocha.Runner, { reporterOptions: { label: 'e2e' } });
    emit(runner);
  } finally {
    console.log = log;
  }
  return printed;
}

/** Runs `fn` with console.log taken over, so a unit run's log has no "✖" line that is not a failure of its own. */
function quietly<T>(fn: () => T): T {
  const log = console.log;
  console.log = () => undefined;
  try {
    return fn();
  } finally {
    console.log = log;
  }
}

/** An error thrown outside any test file (its stack names none). */
function thrownAt(message: string): Error {
  const error = new Error(message);
  error.stack = `Error: ${message}\n    at helper (/repo/test/e2e/workbench.ts:10:5)`;
  return error;
}

/** When the run started: only its duration depends on it, which these tests do not read. */
const RUN_STARTED = 0;

function markersOf(lines: readonly string[]): Record<string, unknown>[] {
  return lines.filter((l) => l.startsWith(MARKER)).map((l) => JSON.parse(l.slice(MARKER.length)) as Record<string, unknown>);
}

function testCalled(title: string): Mocha.Test {
  const suite = new Mocha.Suite('the editor');
  const test = new Mocha.Test(title, () => undefined);
  suite.addTest(test);
  return test;
}

describe("the test run's summary (npm test names what failed at its end, where CI's shortened log still shows it)", () => {
  it('names each failed test with the first line of its error, and each test that was tried again', () => {
    const flaky = testCalled('saves a setting');
    const broken = testCalled('opens the dashboard');
    const lines = reported((runner) => {
      runner.emit(Mocha.Runner.constants.EVENT_TEST_RETRY, flaky, thrownAt('No quick input within 30 s'));
      const second = flaky.clone();
      (second as unknown as { currentRetry(n: number): void }).currentRetry(1);
      runner.emit('pass', second);
      runner.emit('fail', broken, thrownAt('The chart never drew'));
      runner.emit('end');
    });
    assert.ok(lines.some((l) => l.includes('✔ the editor saves a setting') && l.includes('passed on attempt 2')), lines.join('\n'));
    const result = fromSummary('e2e', 1, markersOf(lines), RUN_STARTED);
    assert.deepEqual([result.passed, result.failed], [1, 1]);
    assert.deepEqual(result.failures, ['the editor opens the dashboard — The chart never drew']);
    assert.deepEqual(result.retried, ['the editor saves a setting — No quick input within 30 s']);

    const summary = summaryLines([{ name: 'unit', passed: 3, failed: 0, seconds: 1 }, result], RUN_STARTED);
    const failedAt = summary.indexOf('  failed:');
    assert.ok(failedAt > 0, summary.join('\n'));
    assert.equal(summary[failedAt + 1], '  ✖ e2e: the editor opens the dashboard — The chart never drew');
    assert.ok(summary.includes('  ↻ e2e: the editor saves a setting — No quick input within 30 s'), summary.join('\n'));
    assert.equal(summary.at(-1), '4 passed, 1 failed', 'the last line stays the one the README promises');
  });

  it("says where in the test file a failure was thrown, and lists what the failed test's window showed under it", () => {
    const broken = testCalled('opens the dashboard');
    const error = new Error('locator.waitFor: Timeout 15000ms exceeded.');
    error.stack = `${error.message}\n    at Workbench.waitFor (/repo/test/e2e/workbench.ts:88:11)\n    at Context.<anonymous> (/repo/test/e2e/usage-dashboard.test.ts:228:5)`;
    const lines = reported((runner) => {
      runner.emit('fail', broken, error);
      reportDetail(broken, ['notifications: (none)', 'log: 2026-12-04 [info] Opened the store']);
      runner.emit('end');
    });
    const result = fromSummary('e2e', 1, markersOf(lines), RUN_STARTED);
    assert.deepEqual(result.failures, ['the editor opens the dashboard — locator.waitFor: Timeout 15000ms exceeded. (at test/e2e/usage-dashboard.test.ts:228)\n        notifications: (none)\n        log: 2026-12-04 [info] Opened the store']);
    const summary = summaryLines([result], RUN_STARTED).join('\n');
    assert.ok(summary.includes('(at test/e2e/usage-dashboard.test.ts:228)\n        notifications: (none)\n'), summary);
  });

  it('names a tier that crashed before reporting, and a failed check without test titles', () => {
    const crashed = quietly(() => fromSummary('integration', 134, [], RUN_STARTED));
    const summary = summaryLines([crashed, { name: 'lint', passed: 0, failed: 1, seconds: 2 }], RUN_STARTED);
    assert.ok(summary.includes('  ✖ integration: integration ended with exit code 134 before reporting a failed test'), summary.join('\n'));
    assert.ok(summary.includes('  ✖ lint: (lint failed; its output above says why)'), summary.join('\n'));
    assert.equal(summary.at(-1), '0 passed, 2 failed');
  });

  it('reads the attempt a test is on, from 1', () => {
    const test = testCalled('x');
    assert.equal(attemptOf(test), 1);
    (test as unknown as { currentRetry(n: number): void }).currentRetry(2);
    assert.equal(attemptOf(test), 3);
  });
});
