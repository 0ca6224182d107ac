import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenAIEmulator } from '../emulators';
import { until } from '../helpers/until';
import { expect } from './expect';
import { workbench } from './hooks';
import { addThroughPalette, suiteWithEmulators } from './suite';
import { toggleTheme } from './workbench';

const KEY = 'sk-e2e-gateway-export-9d2c7a51e3';

describe('exporting for a team gateway: the file has no key, and the user is told which variables to set', () => {
  let folder: string;

  suiteWithEmulators({ openai: () => startOpenAIEmulator({ apiKey: KEY }) }, {
    setUp: async ({ openai }) => {
      folder = mkdtempSync(join(tmpdir(), 'mm-gateway-export-'));
      await addThroughPalette(workbench(), { provider: 'Other OpenAI-compatible server', name: 'Team server', url: `${openai.url}/v1`, apiKey: KEY, model: 'gpt-4o-mini' });
    },
    tearDown: () => {
      rmSync(folder, { recursive: true, force: true });
      return Promise.resolve();
    },
  });

  it('exports for LiteLLM Proxy: the file opens with os.environ in place of the key, and the message lists the variable with a Copy button', async () => {
    const wb = workbench();
    const file = join(folder, 'config.yaml');
    await wb.runCommand('Model Manager: Export for LiteLLM Proxy…', { keepOpen: true });
    // Every configuration and group starts ticked: accepting takes them all.
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Team server' }).first().waitFor();
    await wb.page.locator('.quick-input-widget .quick-input-box input').press('Enter');
    // The browser workbench asks for the file in its own path box.
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await wb.page.waitForFunction(() => ((globalThis as unknown as { document: { querySelector(s: string): { value: string } | null } }).document.querySelector('.quick-input-widget .quick-input-box input')?.value ?? '').endsWith('config.yaml'));
    await input.fill(file);
    // The box lists the typed folder before it accepts a name there (under load that takes a moment): wait for the
    // listing, then press OK until the dialog closes.
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: '..' }).first().waitFor();
    const widget = wb.page.locator('.quick-input-widget');
    await until('the save dialog to accept the file name', async () => {
      if (!(await widget.isVisible())) return true;
      await widget.getByRole('button', { name: 'OK' }).click({ timeout: 2_000 }).catch(() => undefined);
      return widget.waitFor({ state: 'hidden', timeout: 3_000 }).then(() => true, () => false);
    }, { timeoutMs: 30_000 });
    await wb.notification(/Exported 1 configuration and 0 route groups to .*config\.yaml\. No API key is in the file\. Set these environment variables where the proxy runs: TEAM_SERVER_API_KEY\./);
    await expect(wb.page.locator('.notification-list-item', { hasText: 'TEAM_SERVER_API_KEY' }).getByRole('button', { name: 'Copy Variable Names' })).toBeVisible();
    await expect(wb.page.locator('.monaco-editor .view-lines').first()).toContainText('api_key: os.environ/TEAM_SERVER_API_KEY');
    await wb.screenshot('gateway-export-litellm-light');
    await toggleTheme(wb);
    await wb.screenshot('gateway-export-litellm-dark');
    await toggleTheme(wb);
    if (!existsSync(file)) throw new Error(`the export was not written to ${file}`);
    const text = readFileSync(file, 'utf8');
    if (text.includes(KEY)) throw new Error('the exported file contains the API key');
    if (!text.includes('TEAM_SERVER_API_KEY  (the key of "Team server")')) throw new Error(`the file does not list the variable:\n${text}`);
    await wb.dismissNotifications();
  });

  it('deletes the configuration, leaving the view as the next tests expect it', async () => {
    const wb = workbench();
    await wb.runCommand('View: Close All Editors');
    await wb.openView();
    const row = wb.page.locator('.monaco-list-row', { hasText: 'Team server' }).first();
    await wb.contextMenu(row, 'Delete Configuration');
    await wb.page.locator('.monaco-dialog-box').getByRole('button', { name: 'Delete' }).click();
    await expect(wb.page.locator('.welcome-view-content')).toContainText(/Add a configuration/);
    await wb.dismissNotifications();
  });
});
