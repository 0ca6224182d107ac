import Mocha from 'mocha';
import { LineReporter } from '../host/reporter';
import { grepOption, testFiles } from '../host/runMochaInHost';
import { mochaHooks } from './hooks';

/** The e2e tier: mocha in plain Node, each test driving the real workbench through Playwright. */
async function main(): Promise<number> {
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    color: false,
    reporter: LineReporter,
    reporterOptions: { label: 'e2e' },
    rootHooks: mochaHooks,
    // Off unless asked for (MM_E2E_RETRIES=1): the suites share one workbench and build on their earlier steps, so a
    // second attempt of a step that got half-way repeats its side effects (a full run saw seeded usage counted twice and
    // nine suites fail after it). When on, the run's summary names every test that needed one.
    retries: e2eRetries(),
    ...grepOption(),
  });
  for (const file of testFiles(__dirname)) mocha.addFile(file);
  return new Promise((resolve) => mocha.run(resolve));
}

function e2eRetries(): number {
  const value = Number(process.env.MM_E2E_RETRIES ?? 0);
  return Number.isInteger(value) && value >= 0 ? value : 0;
}

main().then(
  (failures) => process.exit(failures > 0 ? 1 : 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
