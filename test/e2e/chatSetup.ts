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
    // The workbench's helper: a right-click that opened nothing, or a menu that came up late, is handled there (a
    // clean-up that missed its menu left the configuration behind for every suite after it).
    await wb.contextMenu(row, 'Delete Configuration');
    const dialog = wb.page.locator('.monaco-dialog-box');
    await expect(dialog).toContainText(`Delete "${name}"?`);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
  }
}

/** Closes every editor; an unsaved file is closed without saving. */
export async function closeAllEditors(wb: Workbench): Promise<void> {
  await wb.runCommand('View: Close All Editors');
  const dontSave = wb.page.locator('.monaco-dialog-box').getByRole('button', { name: "Don't Save" });
  if (await dontSave.waitFor({ timeout: 2000 }).then(() => true, () => false)) await dontSave.click();
}
