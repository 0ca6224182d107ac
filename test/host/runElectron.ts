import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { VSCODE_VERSION_PREFIX, integrationEntry, projectRoot } from './paths';

/**
 * `npm run test:electron`: the same integration suite in desktop VS Code, for developers whose machine can
 * download it (@vscode/test-electron fetches VS Code; these build machines cannot).
 */
async function main(): Promise<void> {
  const workspace = mkdtempSync(join(tmpdir(), 'model-manager-electron-'));
  await runTests({
    version: `${VSCODE_VERSION_PREFIX}1`,
    extensionDevelopmentPath: projectRoot,
    extensionTestsPath: integrationEntry,
    launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes'],
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
