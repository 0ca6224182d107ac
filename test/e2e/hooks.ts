import type { Context } from 'mocha';
import { provision } from '../host/provision';
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
    if (current && test?.state === 'failed') {
      const file = await current.screenshot(test.fullTitle());
      console.log(`      screenshot of the failure: ${file}`);
    }
  },
  async afterAll(): Promise<void> {
    await current?.close();
    current = undefined;
  },
};
