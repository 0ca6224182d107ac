import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

export function backupPathOf(target: string): string {
  return `${target}.bak`;
}

/**
 * Replaces `target` with `bytes` so that a crash at any instant leaves either the old or the new file:
 * temp file, fsync, keep the old file as `.bak`, rename over, fsync the folder.
 */
export async function writeFileAtomic(
  target: string,
  bytes: Uint8Array,
  keepBackup: boolean,
  stillOurs: () => boolean = () => true,
): Promise<void> {
  const temp = `${target}.tmp-${String(process.pid)}-${randomBytes(4).toString('hex')}`;
  try {
    const handle = await open(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // Checked right before touching the backup and the file: a writer whose lock was broken no longer owns them.
    assertStillOurs(target, stillOurs);
    if (keepBackup) await keepPreviousAsBackup(target);
    assertStillOurs(target, stillOurs);
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncFolder(dirname(target));
}

function assertStillOurs(target: string, stillOurs: () => boolean): void {
  if (stillOurs()) return;
  throw new Error(
    `This window paused so long that another Model Manager window took over the database lock of ${target}; ` +
      'the change was not saved. Try it again.',
  );
}

async function keepPreviousAsBackup(target: string): Promise<void> {
  const backup = backupPathOf(target);
  await unlink(backup).catch(ignoreMissing);
  try {
    // A hard link costs nothing and keeps the old inode alive after the rename replaces the name.
    await link(target, backup);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return;
    await copyFile(target, backup);
  }
}

/** Makes the rename itself durable; Windows cannot open folders for fsync and orders renames itself. */
export async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function ignoreMissing(error: unknown): void {
  if (!isCode(error, 'ENOENT')) throw error;
}
