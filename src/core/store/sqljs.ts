import { readFile } from 'node:fs/promises';
import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';

const loaded = new Map<string, Promise<SqlJsStatic>>();

/** Loads sql.js once per wasm file; core cannot know the extension folder, so the caller names the wasm. */
export function loadSqlJs(wasmPath: string): Promise<SqlJsStatic> {
  let pending = loaded.get(wasmPath);
  if (!pending) {
    pending = readFile(wasmPath).then((bytes) => {
      const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      return initSqlJs({ wasmBinary });
    });
    // A failed load (missing wasm) must not be cached forever.
    pending.catch(() => loaded.delete(wasmPath));
    loaded.set(wasmPath, pending);
  }
  return pending;
}
