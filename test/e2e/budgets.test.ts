import type { Locator } from 'playwright-core';
import { startOpenAIEmulator } from '../emulators';
import { eventuallyEquals, expect } from './expect';
import { pick, waitForPrompt } from './quickInput';
import { workbench } from './hooks';
import { addThroughPalette, suiteWithEmulators } from './suite';
import { toggleTheme, type Workbench } from './workbench';

const KEY = 'sk-e2e-budget-4b1e';

async function answer(wb: Workbench, value: string, message?: RegExp): Promise<void> {
  const input = wb.page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(value);
  if (message) await expect(wb.page.locator('.quick-input-widget .quick-input-message')).toContainText(message);
}

/** The tree draws a decoration's badge as CSS generated content (::after), not as text: read it from the styles. */
// What the function below uses in the page (this tier's TypeScript has no DOM types).
interface PageElement {
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}
declare const getComputedStyle: (element: PageElement, pseudo: string) => { readonly content: string };

/** The first generated ::after content below the row: the decoration badge. */
async function badgeOf(row: Locator): Promise<string> {
  return row.evaluate((element: PageElement) => {
    for (const node of [element, ...Array.from(element.querySelectorAll('*'))]) {
      const content = getComputedStyle(node, '::after').content;
      if (content && content !== 'none' && content !== 'normal' && content !== '""') return content.replace(/^"|"$/g, '');
    }
    return '';
  });
}

describe('budgets through the palette: inline checks, threshold notifications and the tree badge', () => {
  suiteWithEmulators({ openai: () => startOpenAIEmulator({ apiKey: KEY }) }, {
    setUp: async ({ openai }) => {
      const wb = workbench();
      try {
        await addThroughPalette(wb, { provider: 'Other OpenAI-compatible server', name: 'Budget gateway', url: `${openai.url}/v1`, apiKey: KEY, model: 'gpt-4o-mini' });
      } catch (error) {
        await wb.screenshot('budgets-add-configuration');
        throw error;
      }
    },
  });

  it('tests the configuration (its streamed check uses tokens), then sets a token budget it has half used', async () => {
    const wb = workbench();
    await wb.openView();
    const row = wb.page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'Budget gateway' }).first();
    await wb.clickInlineAction(row, 'Test Connection');
    await wb.notification(/"Budget gateway" works/);
    await wb.dismissNotifications();

    await wb.contextMenu(row, 'Set Budget…');
    await pick(wb, 'Monthly');
    await waitForPrompt(wb, /Limit in USD/);
    await answer(wb, 'lots', /Enter an amount above 0/);
    await answer(wb, '-3', /Enter an amount above 0/);
    await answer(wb, '', /Limit in USD/);
    await wb.page.keyboard.press('Enter');
    await waitForPrompt(wb, /Limit in tokens/);
    await answer(wb, '2.5', /whole number of tokens/);
    await answer(wb, '', /Set a limit in USD, in tokens, or both/);
    // The recorded stream of the connection test is 16 + 300 tokens: 316 of 600 is 52 %.
    await answer(wb, '600', /^Limit in tokens/);
    await wb.page.keyboard.press('Enter');
    await pick(wb, 'Warn, then stop at 100 %');
    await wb.notification(/budget "Budget gateway · Monthly" has reached 50 %: 316 tokens of 600 tokens/);
    await wb.dismissNotifications();
    await eventuallyEquals(() => badgeOf(row), '50', 'the tree badge');
  });

  it('warns once the budget is used up, badges the configuration and refuses nothing silently', async () => {
    const wb = workbench();
    const row = wb.page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'Budget gateway' }).first();
    await wb.clickInlineAction(row, 'Test Connection');
    await wb.notification(/budget "Budget gateway · Monthly" is used up: 632 tokens of 600 tokens\. Requests are refused until it resets/);
    await eventuallyEquals(() => badgeOf(row), '!', 'the tree badge');
    await wb.screenshot('budget-tree-light');
    await toggleTheme(wb);
    await wb.screenshot('budget-tree-dark');
    await toggleTheme(wb);
    await wb.dismissNotifications();
    await wb.runCommand('Model Manager: Show Budgets', { keepOpen: true });
    await expect(wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Budget gateway · Monthly' })).toContainText(/105 % used: 632 \/ 600 tokens · stops at 100 %/);
    await wb.page.keyboard.press('Escape');
  });

  it('deletes the budget and then the configuration, leaving the view as the next tests expect it', async () => {
    const wb = workbench();
    await wb.runCommand('Model Manager: Delete Budget…', { keepOpen: true });
    await pick(wb, 'Budget gateway · Monthly');
    const dialog = wb.page.locator('.monaco-dialog-box');
    await expect(dialog).toContainText(/Delete the budget "Budget gateway · Monthly"\? Its usage stays recorded/);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    const row = wb.page.locator('.monaco-list-row[role="treeitem"]', { hasText: 'Budget gateway' }).first();
    await eventuallyEquals(() => badgeOf(row), '', 'the tree badge after the budget is gone');
    await wb.contextMenu(row, 'Delete Configuration');
    await wb.page.locator('.monaco-dialog-box').getByRole('button', { name: 'Delete' }).click();
    await expect(wb.page.locator('.welcome-view-content')).toContainText(/Add a configuration/);
    await wb.dismissNotifications();
  });
});
