import { readFileSync } from 'node:fs';
import { parseRun, sideBySide } from './compareRuns';

// `node out/bench/compare.js run1.jsonl run2.jsonl`: two saved `npm run bench` outputs as one Markdown table.
const [first, second] = process.argv.slice(2);
if (!first || !second) {
  process.stderr.write('Give two files, each the saved stdout of one `npm run bench`: node out/bench/compare.js run1.jsonl run2.jsonl\n');
  process.exit(2);
}
process.stdout.write(`${sideBySide(parseRun(readFileSync(first, 'utf8')), parseRun(readFileSync(second, 'utf8')))}\n`);
