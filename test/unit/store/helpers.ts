import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from '../../../src/core/logger';
import type { OpenStoreOptions } from '../../../src/core/store/openStore';
import { openStore } from '../../../src/core/store/openStore';
import type { Store } from '../../../src/core/store/Store';
import type { StoreNotice } from '../../../src/core/store/notices';

/** The repository root, from out/test/unit/store/ (compiled) as well as test/unit/store/ (source). */
export const repoRoot = resolve(__dirname, __dirname.includes(join('out', 'test')) ? '../../../..' : '../../..');

export const wasmPath = join(repoRoot, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');

/** A fresh temp folder per test, removed afterwards. */
export function tempFolder(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'mm-store-'));
  return {
    path,
    remove: () => {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** A logger that keeps every line, so tests can scan what was logged. */
export function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
}

export async function open(filePath: string, extra: Partial<OpenStoreOptions> = {}): Promise<{ store: Store; notices: readonly StoreNotice[] }> {
  const result = await openStore({ filePath, wasmPath, ...extra });
  if (!result.ok) throw new Error(`expected the store to open: ${result.problem.message}`);
  return { store: result.store, notices: result.notices };
}
