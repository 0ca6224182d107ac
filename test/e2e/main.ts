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
    ...grepOption(),
  });
  for (const file of testFiles(__dirname)) mocha.addFile(file);
  return new Promise((resolve) => mocha.run(resolve));
}

main().then(
  (failures) => process.exit(failures > 0 ? 1 : 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
