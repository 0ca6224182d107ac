import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import type { FrameLocator } from 'playwright-core';
import { openStore } from '../../src/core/store';
import { startOllamaEmulator, startOpenAIEmulator, type OllamaEmulator, type OpenAIEmulator } from '../emulators';
import { projectRoot } from '../host/paths';
import { until } from '../helpers/until';
import { eventuallyEquals, expect } from './expect';
import { workbench } from './hooks';
import { button, input, makeRoomForEditor, openPanel, pickModel, row, suiteWithEmulators, testAndSave } from './suite';
import { toggleTheme, type Workbench } from './workbench';

const OPENAI_KEY = 'sk-e2e-editor-rows-51d2';
const ROTATED_KEY = 'sk-e2e-rotated-key-7q3w';

async function edit(view: FrameLocator, name: string): Promise<void> {
  await view.getByRole('button', { name: `Edit "${name}"` }).click();
  await expect(input(view, 'name')).toBeVisible();
}

/** The editor at about 730 px wide (the side bars closed), in the current theme and the other one. */
async function shoot(wb: Workbench, name: string): Promise<string[]> {
  const size = wb.page.viewportSize() ?? { width: 1400, height: 900 };
  await wb.page.setViewportSize({ width: 780, height: size.height });
  try {
    const theme = async (): Promise<string> => ((await wb.page.locator('.monaco-workbench.vs-dark, .monaco-workbench.hc-black').count()) > 0 ? 'dark' : 'light');
    const files = [await wb.screenshot(`editor-${name}-${await theme()}`)];
    await toggleTheme(wb);
    files.push(await wb.screenshot(`editor-${name}-${await theme()}`));
    await toggleTheme(wb);
    return files;
  } finally {
    await wb.page.setViewportSize(size);
  }
}

/** The extension's database, as another window opens it. */
async function findDatabase(folder: string): Promise<string> {
  const file = await until(`model-manager.sqlite below ${folder}`, () => readdirSync(folder, { recursive: true, withFileTypes: true }).find((d) => d.isFile() && d.name === 'model-manager.sqlite'), { timeoutMs: 20_000, intervalMs: 250 });
  return join(file.parentPath, file.name);
}

describe('the editor\'s remaining rows: Ollama models, usage periods, enable, rotate key, pending tests, changes from elsewhere', () => {
  let openai: OpenAIEmulator;
  let ollama: OllamaEmulator;
  let view: FrameLocator;

  suiteWithEmulators({ openai: () => startOpenAIEmulator({ apiKey: OPENAI_KEY }), ollama: () => startOllamaEmulator() }, {
    setUp: async (started) => {
      ({ openai, ollama } = started);
      const wb = workbench();
      await makeRoomForEditor(wb);
      view = await openPanel(wb);
    },
    tearDown: async () => {
      const wb = workbench();
      await wb.runCommand('View: Close All Editors');
      view = await openPanel(wb);
      // The list fills in after the page opens: counting its buttons at once would find none and leave them behind.
      await view.getByRole('button', { name: /^Delete "Rows / }).first().waitFor({ timeout: 15_000 }).catch(() => undefined);
      for (const name of ['Rows Ollama', 'Rows OpenAI', 'Rows OpenAI renamed', 'Rows OpenAI elsewhere']) {
        if ((await view.getByRole('button', { name: `Delete "${name}"` }).count()) === 0) continue;
        await view.getByRole('button', { name: `Delete "${name}"` }).click();
        await row(view, name).locator('.confirm vscode-button', { hasText: 'Delete' }).click();
        await expect(view.locator('.notice')).toContainText(`Deleted "${name}".`);
      }
      // These tests closed the side bar for a narrow editor; the suites after them read the tree.
      if (!(await wb.page.locator('.part.sidebar').isVisible())) await wb.runCommand('View: Toggle Primary Side Bar Visibility', { ifOffered: true });
    },
  });

  afterEach(async function () {
    const wb = workbench();
    if (this.currentTest?.state !== 'failed') return;
    await wb.runCommand('View: Close All Editors');
    view = await openPanel(wb);
  });


  it('the Ollama screen lists the installed models with their details, deletes one after saying how much disk it frees, and follows a pull', async () => {
    const wb = workbench();
    await button(view, 'Add configuration').click();
    await view.locator('button.provider-card[data-provider="ollama"][data-preset=""]').click();
    await input(view, 'name').fill('Rows Ollama');
    await input(view, 'baseUrl').fill(ollama.url);
    await pickModel(view, 'gemma3:1b');
    await testAndSave(view, 'Rows Ollama');

    await edit(view, 'Rows Ollama');
    const gemma = view.locator('.installed-model[data-model="gemma3:1b"]');
    const llama = view.locator('.installed-model[data-model="llama3.2:latest"]');
    await expect(gemma).toContainText(/815\.3 MB · used by "Rows Ollama"/);
    await expect(llama).toContainText('2.0 GB');
    await view.getByRole('button', { name: 'Details gemma3:1b' }).click();
    await expect(gemma.locator('.model-details')).toContainText(
      /Family\s+gemma3[\s\S]*Parameters\s+999\.89M[\s\S]*Quantisation\s+Q4_K_M[\s\S]*Context length\s+[\d,.\s]+ tokens[\s\S]*Capabilities\s+completion[\s\S]*Licence\s+Gemma Terms of Use[\s\S]*Size on disk\s+815\.3 MB[\s\S]*Modified\s+\S/,
    );
    await view.getByRole('button', { name: 'Delete llama3.2:latest' }).click();
    await expect(llama.locator('.confirm')).toContainText('Delete llama3.2:latest from this server? This frees 2.0 GB of disk.');
    await view.locator('.ollama-models').scrollIntoViewIfNeeded();
    await shoot(wb, 'ollama-models');

    await llama.locator('.confirm vscode-button', { hasText: 'Delete model' }).click();
    await expect(view.locator('.ollama-models .notice')).toContainText('Deleted llama3.2:latest, freeing 2.0 GB.');
    await llama.waitFor({ state: 'detached', timeout: 15_000 });

    await input(view, 'pullModel').fill('tinyllama:1.1b');
    await view.locator('#pull-model').click();
    await expect(view.locator('.pull-result')).toContainText(/Pulled tinyllama:1\.1b/);
    await expect(view.locator('.installed-model[data-model="tinyllama:1.1b"]')).toContainText('815.3 MB');
    await button(view, 'Cancel').click();
  });

  it('the usage panel shows today, the last 7 days, this month or a custom range, each with its window stated', async () => {
    const wb = workbench();
    await edit(view, 'Rows Ollama');
    const usage = view.locator('.edit-screen .usage');
    const period = usage.locator('select.usage-period');
    // The session's clock stands at 2026-06-15 12:00 UTC (TEST_CLOCK_START); the wizard's test was today.
    await expect(usage.locator('.usage-window')).toContainText(/Counted in UTC days: .*Jun.* 1, 2026.* to .*Jul.* 1, 2026.* UTC( \(your time zone is UTC too\)|; in your time zone that is .*)\./);
    await period.selectOption('day');
    await expect(usage.locator('.usage-window')).toContainText(/Counted in UTC days: .*Jun.* 15, 2026.* to .*Jun.* 16, 2026/);
    await expect(usage.locator('.usage-grid')).toContainText(/Requests\s+[1-9]/);
    await period.selectOption('week');
    await expect(usage.locator('.usage-window')).toContainText(/Counted in UTC days: .*Jun.* 9, 2026.* to .*Jun.* 16, 2026/);
    await period.selectOption('custom');
    await expect(usage).toContainText('Choose the first and last day, then Apply.');
    await usage.locator('input.usage-from').fill('2026-05-01');
    await usage.locator('input.usage-to').fill('2026-05-31');
    await usage.locator('vscode-button.usage-apply').click();
    await expect(usage.locator('.usage-window')).toContainText(/Counted in UTC days: .*May.* 1, 2026.* to .*Jun.* 1, 2026/);
    await expect(usage).toContainText('No requests in this period.');
    await expect(usage.locator('.usage-grid')).toContainText(/Requests\s+0/);
    await usage.scrollIntoViewIfNeeded();
    await shoot(wb, 'usage-panel');
    await button(view, 'Cancel').click();
  });

  it('disables a configuration from the edit screen and enables it again', async () => {
    await button(view, 'Add configuration').click();
    await view.locator('button.provider-card[data-provider="openai"]').click();
    await input(view, 'name').fill('Rows OpenAI');
    await input(view, 'baseUrl').fill(`${openai.url}/v1`);
    await input(view, 'apiKey').fill(OPENAI_KEY);
    await pickModel(view, 'gpt-4o-mini');
    await testAndSave(view, 'Rows OpenAI');
    if ((await row(view, 'Rows OpenAI').locator('.muted-badge', { hasText: 'inactive' }).count()) !== 0) throw new Error('A new configuration starts enabled.');

    await edit(view, 'Rows OpenAI');
    await view.locator('#field-isActive').uncheck();
    await view.locator('#edit-save').click();
    await expect(view.locator('.notice')).toContainText('Saved "Rows OpenAI".');
    await expect(row(view, 'Rows OpenAI').locator('.muted-badge')).toContainText('inactive');

    await edit(view, 'Rows OpenAI');
    await eventuallyEquals(() => view.locator('#field-isActive').isChecked(), false, 'the Enabled box of a disabled configuration');
    await view.locator('#field-isActive').check();
    await view.locator('#edit-save').click();
    await expect(view.locator('.notice')).toContainText('Saved "Rows OpenAI".');
    await row(view, 'Rows OpenAI').locator('.muted-badge', { hasText: 'inactive' }).waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('rotates the key from the edit screen in a password field, and the page learns only its last four characters', async () => {
    await edit(view, 'Rows OpenAI');
    await expect(view.locator('.key-state')).toContainText('set (…51d2)');
    await view.locator('#rotate-open').click();
    await eventuallyEquals(() => view.locator('#field-rotateKey input').getAttribute('type'), 'password', 'the new key\'s field type');
    await input(view, 'rotateKey').fill(ROTATED_KEY);
    await view.locator('#rotate-key').click();
    await expect(view.locator('.rotate-done')).toContainText(`Key rotated. The stored key is now set (…${ROTATED_KEY.slice(-4)}).`);
    await expect(view.locator('.key-state')).toContainText(`set (…${ROTATED_KEY.slice(-4)})`);
    const page = await view.locator('body').evaluate((body) => `${body.innerHTML}${Array.from(body.querySelectorAll('input'), (i) => i.value).join('')}`);
    if (page.includes(ROTATED_KEY)) throw new Error('The rotated key is still in the page.');
    // The server knows only the old key: the rotated one is what the test now sends, and it is refused.
    await view.locator('#edit-test').click();
    await expect(view.locator('.tester-failure')).toContainText(/401 invalid_api_key/);
    // Back to the key the server accepts.
    await view.locator('#rotate-open').click();
    await input(view, 'rotateKey').fill(OPENAI_KEY);
    await view.locator('#rotate-key').click();
    await expect(view.locator('.key-state')).toContainText('set (…51d2)');
    await button(view, 'Cancel').click();
  });

  it('shows a running connection test as pending in the tree and the editor, from wherever it was started, until it ends', async () => {
    const wb = workbench();
    // A slow answer: the test runs for a few seconds.
    openai.inject({ path: /\/chat\/completions/, delayMs: 6_000 });
    await view.getByRole('button', { name: 'Test "Rows OpenAI"' }).click();
    await expect(row(view, 'Rows OpenAI').locator('.testing-note')).toContainText('Testing…');
    await wb.openView();
    const item = wb.page.locator('.monaco-list-row', { hasText: 'Rows OpenAI' }).first();
    await expect(item).toContainText('testing…');
    await item.locator('.codicon-loading').waitFor({ timeout: 15_000 });
    await expect(row(view, 'Rows OpenAI').locator('.tester-summary')).toContainText(/The connection works/);
    await item.locator('.codicon-loading').waitFor({ state: 'detached', timeout: 15_000 });
    await expect(row(view, 'Rows OpenAI').locator('.status-icon.codicon-pass')).toBeVisible();

    // Started from the tree: the open edit screen says so, and stops saying it when the test ends.
    await edit(view, 'Rows OpenAI');
    openai.inject({ path: /\/chat\/completions/, delayMs: 6_000 });
    await wb.contextMenu(item, 'Test Connection');
    await expect(view.locator('.edit-testing')).toContainText('A connection test of this configuration is running…');
    await wb.notification(/"Rows OpenAI" works/);
    await wb.dismissNotifications();
    await view.locator('.edit-testing').waitFor({ state: 'detached', timeout: 15_000 });
    await wb.runCommand('View: Close Primary Side Bar', { ifOffered: true });
    await button(view, 'Cancel').click();
  });

  it('the edit screen takes in a rename from the palette, keeping the value the user was typing and saying the saved version changed', async () => {
    const wb = workbench();
    await edit(view, 'Rows OpenAI');
    await input(view, 'temperature').fill('0.4');
    // The row labelled exactly "Name" (other rows' details mention names); a quick input left inert is asked again.
    await wb.runCommandAnswering('Model Manager: Edit Configuration', [{ pick: 'Rows OpenAI' }, { pick: 'Name', exact: true }, { type: 'Rows OpenAI renamed' }]);
    await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await eventuallyEquals(() => input(view, 'name').inputValue(), 'Rows OpenAI renamed', 'the name field (not edited here) after the palette renamed it');
    await eventuallyEquals(() => input(view, 'temperature').inputValue(), '0.4', 'the temperature the user was typing');
    await expect(view.locator('.changed-elsewhere')).toContainText(/saved in another window or from the palette while you were editing it[\s\S]*your unsaved edits are kept/);
    await view.locator('#edit-save').click();
    await expect(view.locator('.notice')).toContainText('Saved "Rows OpenAI renamed".');
  });

  it('the edit screen takes in a save from another window, and says so', async () => {
    const wb = workbench();
    // The OpenAI configuration under whichever name it has: this test does not need the rename before it to have passed.
    const openaiRow = row(view, 'Rows OpenAI');
    const configurationId = await openaiRow.getAttribute('data-id');
    if (!configurationId) throw new Error('The row has no id.');
    await openaiRow.getByRole('button', { name: /^Edit "Rows OpenAI/ }).click();
    await expect(input(view, 'name')).toBeVisible();
    // Another window: the core's store opened on the same file, as a second VS Code window's extension host does.
    const opened = await openStore({ filePath: await findDatabase(wb.userDataDir), wasmPath: join(projectRoot, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm') });
    if (!opened.ok) throw new Error(opened.problem.message);
    try {
      await opened.store.write((r) => {
        const user = r.users.ensureLocalUser();
        r.configurations.update(user.id, configurationId, { name: 'Rows OpenAI elsewhere' });
      });
    } finally {
      await opened.store.close();
    }
    await eventuallyEquals(() => input(view, 'name').inputValue(), 'Rows OpenAI elsewhere', 'the name another window saved');
    await expect(view.locator('.changed-elsewhere')).toContainText('changed in another window or from the palette; the form shows the saved version');
    await button(view, 'Cancel').click();
    await expect(row(view, 'Rows OpenAI elsewhere')).toBeVisible();
  });
});
