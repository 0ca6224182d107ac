import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { artifactsRoot, projectRoot, runsRoot } from './paths';
import type { TierResult } from './tiers';

/** Every canary key in the tests starts with this: none of them may reach a file the run wrote, in any encoding. */
export const CANARY_PREFIX = 'sk-canary-';

/** Files larger than this are read in part only (none of ours is; a recording or a wasm copy might be). */
const MAX_BYTES = 64 * 1024 * 1024;

/** The forms a key can take in a file: as is, hex (either case), and base64/base64url at each of the three alignments. */
export function canaryForms(prefix: string = CANARY_PREFIX): { name: string; needle: Buffer }[] {
  const forms = [
    { name: 'plain text', needle: Buffer.from(prefix) },
    { name: 'hex', needle: Buffer.from(Buffer.from(prefix).toString('hex')) },
    { name: 'hex (upper case)', needle: Buffer.from(Buffer.from(prefix).toString('hex').toUpperCase()) },
    { name: 'UTF-16', needle: Buffer.from(prefix, 'utf16le') },
  ];
  for (let pad = 0; pad < 3; pad++) {
    // The base64 of the prefix after `pad` unknown bytes: skip the characters those bytes touch, and the last partial group.
    const encoded = Buffer.concat([Buffer.alloc(pad), Buffer.from(prefix)]).toString('base64');
    const stable = encoded.slice(Math.ceil((pad * 4) / 3) + (pad === 0 ? 0 : 1), Math.floor(((pad + prefix.length) * 4) / 3) - 1);
    forms.push({ name: `base64 (offset ${String(pad)})`, needle: Buffer.from(stable) });
    forms.push({ name: `base64url (offset ${String(pad)})`, needle: Buffer.from(stable.replace(/\+/g, '-').replace(/\//g, '_')) });
  }
  return forms;
}

function* filesBelow(folder: string): Generator<string> {
  if (!existsSync(folder)) return;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* filesBelow(path);
    else if (entry.isFile()) yield path;
  }
}

/**
 * After the run: every file it wrote in the VS Code profiles (databases, backups, logs, exports, the extension's
 * global storage), the workspaces and the artifacts (logs, page texts) must be free of any canary key.
 */
export function scanForCanaries(since: number): TierResult {
  const started = performance.now();
  const forms = canaryForms();
  const found: string[] = [];
  let scanned = 0;
  for (const root of [runsRoot, artifactsRoot]) {
    for (const file of filesBelow(root)) {
      const stat = statSync(file);
      if (stat.mtimeMs < since) continue;
      scanned++;
      const bytes = readFileSync(file).subarray(0, MAX_BYTES);
      for (const form of forms) {
        if (bytes.includes(form.needle)) found.push(`${relative(projectRoot, file)} (${form.name})`);
      }
    }
  }
  for (const hit of found) console.log(`  ✖ a canary key in ${hit}`);
  console.log(`  ${found.length === 0 ? '✔' : '✖'} canary scan: ${String(scanned)} files the run wrote, ${found.length === 0 ? 'no key in any' : `${String(found.length)} with a key`}`);
  return { name: 'canary scan', passed: found.length === 0 ? 1 : 0, failed: found.length === 0 ? 0 : 1, seconds: (performance.now() - started) / 1000 };
}
