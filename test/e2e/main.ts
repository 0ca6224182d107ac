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
    // The workbench is a real UI on a loaded machine: a failed attempt is tried once more, and the reporter and the
    // run's summary name every test that needed it (MM_E2E_RETRIES=0 shows flakes as failures).
    retries: e2eRetries(),
    ...grepOption(),
  });
  for (const file of testFiles(__dirname)) mocha.addFile(file);
  return new Promise((resolve) => mocha.run(resolve));
}

function e2eRetries(): number {
  const value = Number(process.env.MM_E2E_RETRIES ?? 1);
  return Number.isInteger(value) && value >= 0 ? value : 1;
}

main().then(
  (failures) => process.exit(failures > 0 ? 1 : 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
