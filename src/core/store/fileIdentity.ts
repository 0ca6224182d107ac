import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isCode } from './atomicFile';
import { headerGeneration } from './fileCheck';

/** What tells one saved version of the file from another; a rename always changes at least one field. */
export interface FileIdentity {
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly generation: number;
}

export function sameIdentity(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  if (!a || !b) return a === b;
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.generation === b.generation;
}

/** Reads identity and (optionally) the whole file through one descriptor, so both describe the same inode. */
export function readFileWithIdentity(path: string, wholeFile: boolean): { identity: FileIdentity; bytes: Uint8Array } | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
  try {
    const stat = fstatSync(fd, { bigint: true });
    const length = wholeFile ? Number(stat.size) : Math.min(100, Number(stat.size));
    const bytes = new Uint8Array(length);
    let read = 0;
    while (read < length) {
      const n = readSync(fd, bytes, read, length - read, read);
      if (n === 0) break;
      read += n;
    }
    const content = read === length ? bytes : bytes.subarray(0, read);
    return { identity: { ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs, generation: headerGeneration(content) }, bytes: content };
  } finally {
    closeSync(fd);
  }
}
