import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { LineReporter } from './reporter';

/** Every compiled *.test.js file below a folder, in a stable order. */
export function testFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.test.js'))
    .map((d) => join(d.parentPath, d.name))
    .sort();
}

/** Runs every test file below a compiled entry's folder with mocha, inside whichever host loaded the entry. */
export async function runMochaInHost(folder: string, label: string, timeoutMs = 30_000): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: timeoutMs, color: false, reporter: LineReporter, reporterOptions: { label }, ...grepOption() });
  for (const file of testFiles(folder)) mocha.addFile(file);
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${String(failures)} ${label} test(s) failed`);
}

/** `MM_GREP=pattern npm test -- unit`: only the tests whose full title matches (while working on one part). */
export function grepOption(): { grep?: RegExp } {
  const pattern = process.env.MM_GREP;
  return pattern ? { grep: new RegExp(pattern) } : {};
}
