import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './paths';
import type { Provisioned } from './provision';
import { runCommand } from './tiers';

export const vsixPath = join(projectRoot, 'model-manager.vsix');

/** `npm run package`: the production bundle packed by @vscode/vsce. */
export async function packageVsix(options: { outputToStderr?: boolean } = {}): Promise<string> {
  const { code } = await runCommand('npm', ['run', '--silent', 'package'], { timeoutMs: 180_000, ...options });
  if (code !== 0 || !existsSync(vsixPath)) throw new Error(`npm run package failed (exit ${String(code)}); see its output above.`);
  return vsixPath;
}

/** Installs a .vsix into an extensions folder the way a user's server would (`--install-extension`). */
export async function installVsix(
  host: Provisioned,
  vsix: string,
  extensionsDir: string,
  options: { outputToStderr?: boolean } = {},
): Promise<void> {
  mkdirSync(extensionsDir, { recursive: true });
  const args = [host.serverMain, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--accept-server-license-terms'];
  const { code } = await runCommand(host.node, args, { timeoutMs: 120_000, ...options });
  if (code !== 0) throw new Error(`Installing ${vsix} into the VS Code server failed (exit ${String(code)}).`);
}
