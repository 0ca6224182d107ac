import * as assert from 'node:assert/strict';
import { importContinueConfig } from '../../../src/core/importExport/continueConfig';
import { CANARY, realProviders } from './setup';

/** Everything written as a process warning or to the console while `run` runs, and on the ticks right after. */
async function captureOutput(run: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const onWarning = (warning: Error): void => {
    seen.push(`${warning.name} ${warning.message}`);
  };
  const originals = { warn: console.warn, log: console.log, error: console.error };
  const keep = (...args: unknown[]): void => {
    seen.push(args.map(String).join(' '));
  };
  process.on('warning', onWarning);
  console.warn = keep;
  console.log = keep;
  console.error = keep;
  try {
    await run().catch((error: unknown) => {
      seen.push(String(error));
    });
    // Node delivers process warnings on a later tick.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    process.off('warning', onWarning);
    console.warn = originals.warn;
    console.log = originals.log;
    console.error = originals.error;
  }
  return seen;
}

describe("importing a Continue config.yaml with tags Model Manager does not read", () => {
  let providers: ReturnType<typeof realProviders>;
  before(() => {
    providers = realProviders();
  });
  after(() => providers.close());

  for (const tag of ['!env', '!secret', '!unknown-tag']) {
    it(`prints no warning holding the key for a ${tag} value`, async () => {
      const file = `models:\n  - name: Tagged\n    provider: openai\n    model: gpt-5\n    apiKey: ${tag} ${CANARY}\n    roles: [chat]\n`;
      const output = await captureOutput(() => importContinueConfig(file, providers.options));
      for (const line of output) assert.equal(line.includes(CANARY), false, `printed the key: ${line.slice(0, 60)}…`);
      assert.equal(output.length, 0, `nothing printed at all: ${output.join(' | ').slice(0, 200)}`);
    });
  }

  it('is seen by the capture when a warning is printed, so the check above can fail', async () => {
    const output = await captureOutput(() => {
      process.emitWarning(`a line with ${CANARY}`);
      return Promise.resolve();
    });
    assert.ok(output.some((line) => line.includes(CANARY)));
  });
});
