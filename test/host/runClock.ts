import { existsSync } from 'node:fs';
import { MissingPrerequisiteError } from './prerequisites';
import { provision } from './provision';
import { runMochaTier } from './tiers';
import { SHIFTED_CLOCK_ENV } from '../unit/helpers/clockRun';

/**
 * `npm run test:clock`: the unit tier again on shifted clocks in other time zones, with Debian's faketime. Each
 * moment sits on a boundary a calendar bug trips over (the last seconds of a month and of a year in the first time
 * zone of the world; a leap day in a zone behind UTC), and every process started under faketime gets a clock of its
 * own (the multi-process store tests run on clocks seconds apart). `npm run test:clock -- 0` runs only the first.
 *
 * The runs go side by side, each with its output kept together and printed when it ends: most of a unit run waits on
 * timers and loopback servers, not the CPU, so three at once take little longer than one. Each run is told its clock
 * (MM_SHIFTED_CLOCK), so the tests that repeat an action hundreds of times to catch a rare interleaving repeat it a
 * few dozen times here (test/unit/helpers/clockRun.ts): these runs look for a dependence on the date, the zone or a
 * per-process clock, which shows at once; `npm test` runs the full counts.
 */
export const SHIFTED_CLOCKS: readonly { readonly timeZone: string; readonly at: string }[] = [
  { timeZone: 'Pacific/Kiritimati', at: '2027-01-31 23:59:40' },
  { timeZone: 'America/Los_Angeles', at: '2028-02-29 12:00:00' },
  { timeZone: 'Asia/Kathmandu', at: '2026-12-31 23:59:50' },
];

const FAKETIME = '/usr/bin/faketime';

async function main(): Promise<number> {
  if (!existsSync(FAKETIME)) {
    console.error(new MissingPrerequisiteError(`faketime (${FAKETIME}), which runs the unit tests on a shifted clock,`, 'faketime').message);
    console.log('0 passed, 1 failed');
    return 1;
  }
  const host = await provision();
  const started = performance.now();
  const picked = process.argv.slice(2).map(Number);
  const clocks = picked.length === 0 ? SHIFTED_CLOCKS : SHIFTED_CLOCKS.filter((_, i) => picked.includes(i));
  let printed = Promise.resolve();
  const results = await Promise.all(clocks.map((clock) => {
    const name = `unit @ ${clock.at} ${clock.timeZone}`;
    let output = '';
    const run = runMochaTier(name, 'out/test/unit/main.js', 1_200_000, host.node, {
      wrapper: [FAKETIME, clock.at],
      env: { ...process.env, TZ: clock.timeZone, [SHIFTED_CLOCK_ENV]: `${clock.at} ${clock.timeZone}` },
      onOutput: (text) => (output += text),
    });
    // Printed in the order of the clocks, each as soon as it and the ones before it are done.
    printed = printed.then(async () => {
      await run;
      console.log(`\n── ${name} ${'─'.repeat(Math.max(0, 60 - name.length))}`);
      process.stdout.write(output);
    });
    return run;
  }));
  await printed;
  console.log('\n── summary ─────────────────────────────────────────────────────');
  for (const r of results) {
    console.log(`  ${r.name.padEnd(48)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(4)} failed  ${r.seconds.toFixed(1)} s`);
  }
  console.log(`  total time ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  console.log(`${String(passed)} passed, ${String(failed)} failed`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
