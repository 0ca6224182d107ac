import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { SEED_RATIO, TokenCounter } from '../../../src/core/chat/TokenCounter';
import { TokenWorker } from '../../../src/core/chat/TokenWorker';

/** The compiled counter, loaded by a fresh Node process: this one has o200k's ranks parsed already (other tests import them). */
const counterModule = join(__dirname, '..', '..', '..', 'src', 'core', 'chat', 'TokenCounter.js');

/**
 * Run in a fresh process: the longest stretch the thread was blocked (an interval timer due every 5 ms sees how late
 * it fires) from before the first count until the counter is exact, the first count's own time and value, and the
 * exact count after.
 */
const probe = `
const { TokenCounter } = require(${JSON.stringify(counterModule)});
const text = 'Count the tokens of this sentence, please. '.repeat(100).slice(0, 4000);
let last = performance.now();
let longest = 0;
const timer = setInterval(() => { const now = performance.now(); longest = Math.max(longest, now - last); last = now; }, 5);
setTimeout(async () => {
  const counter = new TokenCounter();
  const model = { provider: 'openai', model: 'gpt-4o' };
  const started = performance.now();
  const first = await counter.count('k', model, text);
  const firstMs = performance.now() - started;
  const exact = await counter.whenExact();
  const second = await counter.count('k', model, text);
  // One more tick of the monitor after the worker's answer.
  await new Promise((r) => setTimeout(r, 20));
  clearInterval(timer);
  counter.dispose();
  process.stdout.write(JSON.stringify({ longest, first, firstMs, exact, second }));
}, 50);
`;

interface ProbeResult {
  readonly longest: number;
  readonly first: number;
  readonly firstMs: number;
  readonly exact: boolean;
  readonly second: number;
}

function runProbe(): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', probe], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as ProbeResult);
    });
  });
}

describe('TokenCounter off the caller\'s thread (o200k in a worker)', () => {
  it('never blocks the caller\'s thread for long during the first count: answers from an estimate while the worker loads o200k, exactly after', async function () {
    this.timeout(120_000);
    const text = 'Count the tokens of this sentence, please. '.repeat(100).slice(0, 4000);
    // Parsing the ranks on the calling thread blocks it for 0.5–1.3 s; a worker leaves it free. On a loaded two-core
    // machine the scheduler alone can hold a thread for tens of milliseconds, hence the generous bound; the best of
    // two runs, so that one descheduled moment is not taken for a blocking load.
    const runs = [await runProbe()];
    if ((runs[0]?.longest ?? 0) >= 200) runs.push(await runProbe());
    const best = runs.reduce((a, b) => (a.longest <= b.longest ? a : b));
    assert.ok(best.longest < 200, `the thread was blocked ${best.longest.toFixed(0)} ms at once during the first count (runs: ${runs.map((r) => r.longest.toFixed(0)).join(', ')} ms)`);
    assert.equal(best.first, Math.ceil(text.length / 4), 'the first count is the estimate (characters / 4; gpt-4o is counted exactly, ratio 1)');
    assert.equal(best.exact, true);
    assert.equal(best.second, o200k(text), 'once the worker is ready, the count is exact');
  });

  it('estimates a calibrated model as characters / 4 times its ratio until the worker is ready, and caches only exact counts', async () => {
    const counter = new TokenCounter();
    try {
      const text = 'Model Manager keeps every provider configuration in one place. '.repeat(20);
      const model = { provider: 'anthropic', model: 'claude-haiku-4-5' };
      assert.equal(await counter.count('c', model, text), Math.ceil((text.length / 4) * (SEED_RATIO.anthropic ?? 0)));
      assert.equal(counter.cacheSize, 0, 'an estimate is not cached');
      assert.equal(await counter.whenExact(), true);
      assert.equal(await counter.count('c', model, text), Math.ceil(o200k(text) * (SEED_RATIO.anthropic ?? 0)));
      assert.equal(counter.cacheSize, 1);
    } finally {
      counter.dispose();
    }
  });

  it('falls back to estimates, and says why once, when the worker cannot start; a closed counter estimates too', async () => {
    const failures: Error[] = [];
    const counter = new TokenCounter(new TokenWorker(join(__dirname, 'no-such-worker.js'), (error) => failures.push(error)));
    const text = 'hello world, hello tokens';
    const model = { provider: 'openai', model: 'gpt-4o' };
    assert.equal(await counter.count('k', model, text), Math.ceil(text.length / 4));
    assert.equal(await counter.whenExact(), false);
    assert.equal(await counter.count('k', model, text), Math.ceil(text.length / 4));
    assert.equal(failures.length, 1);
    const closed = new TokenCounter();
    assert.equal(await closed.whenExact(), true);
    closed.dispose();
    assert.equal(await closed.count('k', model, text), Math.ceil(text.length / 4), 'after dispose the worker is gone: an estimate');
  });
});

describe('TokenWorker with special-token text and after dispose', () => {
  it('counts text holding special tokens such as <|endoftext|> and <|im_start|> as plain text, and still counts normal text after', async () => {
    const worker = new TokenWorker();
    try {
      assert.equal(await worker.start(), true);
      const special = 'before <|endoftext|> middle <|im_start|>user\nhi<|im_end|> <|fim_prefix|> after';
      const [counted] = await worker.count([special]);
      assert.equal(counted, o200k(special, { disallowedSpecial: new Set() }), 'the specials are counted as the plain characters they are');
      assert.ok(counted > 10, 'more than one token per special marker: plain text, not single special tokens');
      assert.equal(worker.ready, true, 'the worker is still running');
      const normal = 'A normal sentence after the special one.';
      assert.deepEqual(await worker.count([normal]), [o200k(normal)]);
    } finally {
      worker.dispose();
    }
  });

  it('starts no worker thread for a count after its owner was disposed: the count is an estimate and nothing is spawned', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mm-token-worker-'));
    const marker = join(dir, 'spawned');
    const script = join(dir, 'worker.js');
    // A worker that leaves a file behind when it starts, and says it is ready like the real one.
    await writeFile(script, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, '');\nrequire('node:worker_threads').parentPort.postMessage({ type: 'ready' });\n`);
    try {
      const counter = new TokenCounter(new TokenWorker(script));
      counter.dispose();
      const text = 'hello world, hello tokens';
      assert.equal(await counter.count('k', { provider: 'openai', model: 'gpt-4o' }, text), Math.ceil(text.length / 4));
      assert.equal(await counter.whenExact(), false, 'a disposed counter never becomes exact');
      await assert.rejects(access(marker), 'no worker thread was started after dispose');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
