import type { Context } from 'mocha';
import { provision } from '../host/provision';
import { attemptOf, reportDetail } from '../host/reporter';
import { Workbench } from './workbench';

let current: Workbench | undefined;

/** The workbench shared by the e2e tests of one run; started once, stopped after the last test. */
export function workbench(): Workbench {
  if (!current) throw new Error('The workbench is not running (the root before-all hook failed).');
  return current;
}

export const mochaHooks = {
  async beforeAll(this: Context): Promise<void> {
    this.timeout(180_000);
    current = await Workbench.open(await provision(() => undefined));
  },
  async afterEach(this: Context): Promise<void> {
    const test = this.currentTest;
    // An attempt mocha will try again has no state yet (a last failed attempt has "failed").
    const retrying = test !== undefined && test.state === undefined && !test.isPending();
    if (current && (test?.state === 'failed' || retrying)) {
      const file = await current.screenshot(`${test.fullTitle()}${retrying ? ` (attempt ${String(attemptOf(test))})` : ''}`);
      console.log(`      screenshot of the failure: ${file}`);
      // A CI log keeps only its end: what the window showed goes into the run's summary, under the failure.
      if (test.state === 'failed') reportDetail(test, await current.diagnosis());
    }
    if (current && retrying) {
      // What the failed attempt left open (a quick input, a menu, a dialog, notifications) must not meet the next one.
      for (let i = 0; i < 3; i++) await current.page.keyboard.press('Escape');
      await current.dismissNotifications();
    }
  },
  async afterAll(): Promise<void> {
    await current?.close();
    current = undefined;
  },
};
