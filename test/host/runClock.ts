import { existsSync } from 'node:fs';
import { MissingPrerequisiteError } from './prerequisites';
import { provision } from './provision';
import { runMochaTier, type TierResult } from './tiers';

/**
 * `npm run test:clock`: the unit tier again on shifted clocks in other time zones, with Debian's faketime. Each
 * moment sits on a boundary a calendar bug trips over (the last seconds of a month and of a year in the first time
 * zone of the world; a leap day in a zone behind UTC), and every process started under faketime gets a clock of its
 * own (the multi-process store tests run on clocks seconds apart). `npm run test:clock -- 0` runs only the first.
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
  const picked = process.argv.slice(2).map(Number);
  const clocks = picked.length === 0 ? SHIFTED_CLOCKS : SHIFTED_CLOCKS.filter((_, i) => picked.includes(i));
  const results: TierResult[] = [];
  for (const clock of clocks) {
    const name = `unit @ ${clock.at} ${clock.timeZone}`;
    console.log(`\n── ${name} ${'─'.repeat(Math.max(0, 60 - name.length))}`);
    results.push(await runMochaTier(name, 'out/test/unit/main.js', 600_000, host.node, {
      wrapper: [FAKETIME, clock.at],
      env: { ...process.env, TZ: clock.timeZone },
    }));
  }
  console.log('\n── summary ─────────────────────────────────────────────────────');
  for (const r of results) {
    console.log(`  ${r.name.padEnd(48)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(4)} failed  ${r.seconds.toFixed(1)} s`);
  }
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
