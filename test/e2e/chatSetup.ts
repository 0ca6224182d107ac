import { until } from '../helpers/until';
import { expect } from './expect';
import type { Workbench } from './workbench';

/** Adds a configuration through the Model Manager editor's wizard, as a user would. */
export async function addThroughWizard(wb: Workbench, provider: 'openai' | 'openai-compatible' | 'ollama', name: string, baseUrl: string, model: string, apiKey?: string): Promise<void> {
  await wb.runCommand('Model Manager: Open Model Manager');
  const view = wb.webview();
  await view.locator('vscode-button', { hasText: 'Add configuration' }).first().click();
  await view.locator(`button.provider-card[data-provider="${provider}"][data-preset=""]`).click();
  await view.locator('#field-name input').fill(name);
  await view.locator('#field-baseUrl input').fill(baseUrl);
  if (apiKey) await view.locator('#field-apiKey input').fill(apiKey);
  await view.locator('select#field-model').selectOption(model, { timeout: 20_000 });
  await view.locator('#wizard-next').click();
  await expect(view.locator('.tester-summary')).toContainText(/The connection works/);
  await view.locator('#wizard-save').click();
  await expect(view.locator('.notice')).toContainText(`Added "${name}".`);
}

/** Deletes configurations from the tree's context menu, so the tests that follow start from an empty list. */
export async function deleteThroughTree(wb: Workbench, names: readonly string[]): Promise<void> {
  await wb.page.keyboard.press('Escape');
  await wb.openView();
  for (const name of names) {
    // The tree's own row (the Chat view's answers are list rows that may mention the name too).
    const row = wb.page.locator(`.monaco-list-row[role="treeitem"][aria-label^="${name},"]`).first();
    if (!(await row.waitFor({ timeout: 5000 }).then(() => true, () => false))) continue;
    // A configuration left behind fails every suite after it (nine once), so a step that did nothing is tried again:
    // the workbench's helper handles a right-click that opened nothing or a late menu, and a menu entry chosen while
    // the tree redrew (the menu closed under it, no dialog came) is chosen again, up to three times.
    const dialog = wb.page.locator('.monaco-dialog-box', { hasText: `Delete "${name}"?` });
    for (let attempt = 1; ; attempt++) {
      await wb.contextMenu(row, 'Delete Configuration');
      if (await dialog.waitFor({ timeout: 10_000 }).then(() => true, () => false)) break;
      const shown = (await wb.page.locator('.monaco-dialog-box').allInnerTexts()).join(' | ');
      const screenshot = await wb.screenshot(`delete-${name}-no-dialog-${String(attempt)}`);
      console.log(`      no confirmation for deleting "${name}" on attempt ${String(attempt)} (dialogs: ${shown || 'none'}); screenshot ${screenshot}`);
      if (attempt === 3) throw new Error(`Delete Configuration on "${name}" showed no confirmation in three attempts (dialogs: ${shown || 'none'})`);
      // Whatever came instead (another dialog, a menu) is closed before the next attempt.
      for (let i = 0; i < 2; i++) await wb.page.keyboard.press('Escape');
    }
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
  }
}

/** Closes every editor; an unsaved file is closed without saving. */
export async function closeAllEditors(wb: Workbench): Promise<void> {
  await wb.runCommand('View: Close All Editors');
  const dontSave = wb.page.locator('.monaco-dialog-box').getByRole('button', { name: "Don't Save" });
  const tabs = wb.page.locator('.editor-group-container .tab');
  // Done when no tab is left; an unsaved file asks first (late on a loaded machine: a dialog that came after a
  // fixed wait stayed open over the next suite's first step).
  await until('the editors to close', async () => {
    if (await dontSave.isVisible()) await dontSave.click();
    return (await tabs.count()) === 0;
  }, { timeoutMs: 15_000, intervalMs: 200 });
}
