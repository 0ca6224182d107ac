import type { Locator } from 'playwright-core';
import { until } from '../helpers/until';
import type { Workbench } from './workbench';

/** Text as typed, without the spaces and line breaks the editor adds, converts or wraps at. */
const compact = (text: string): string => text.replace(/\s+/g, '');

/**
 * Types a request into VS Code's Chat view, sends it, and returns its answer. Each step is checked on the screen
 * rather than trusted to the keyboard: under load a click can land before the input has the focus, so Ctrl+A misses
 * and the text lands after the sticky "@models " the view keeps there ("@models @models /compare …" is no command);
 * an Enter pressed while a suggestion is open only accepts the suggestion. The conversation is a virtual list, so
 * neither the number of rows on screen nor their order in the page tells which is the newest: rows are told apart by
 * their list index, and the answer is the row after the request's.
 */
export async function sendToChat(wb: Workbench, text: string): Promise<Locator> {
  const session = wb.page.locator('.interactive-session').filter({ has: wb.page.locator('.interactive-input-part'), visible: true }).first();
  const editor = session.locator('.interactive-input-part .monaco-editor').first();
  const typed = async (): Promise<string> => compact(await editor.locator('.view-lines').innerText({ timeout: 2_000 }).catch(() => ''));
  for (let attempt = 1; ; attempt++) {
    await editor.click();
    await wb.page.keyboard.press('Control+a');
    await wb.page.keyboard.press('Backspace');
    await wb.page.keyboard.type(text);
    const holds = await until('the Chat input to hold the request', async () => (await typed()) === compact(text), 3_000).then(() => true, () => false);
    if (holds) break;
    if (attempt === 3) throw new Error(`The Chat input holds "${await typed()}" instead of "${text}".`);
  }
  const requests = session.locator('.monaco-list-row:has(.interactive-item-container.interactive-request)');
  const newestRequest = async (): Promise<{ index: number; text: string }> => {
    const rows = await requests.evaluateAll((els) => els.map((el) => ({ index: Number(el.getAttribute('data-index')), text: (el as HTMLElement).innerText })));
    return rows.reduce((newest, row) => (row.index > newest.index ? row : newest), { index: -1, text: '' });
  };
  const before = (await newestRequest()).index;
  let request = { index: -1, text: '' };
  for (let attempt = 1; ; attempt++) {
    if (await wb.page.locator('.suggest-widget.visible').count()) await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('Enter');
    const sent = await until('the request in the Chat view', async () => ((request = await newestRequest()).index > before ? request : undefined), 5_000).then(() => true, () => false);
    if (sent) break;
    // Pressed again only while the request is still in the input, so a slow list cannot make it go twice.
    if (attempt === 3 || (await typed()) !== compact(text)) throw new Error(`The Chat view did not take the request "${text}" (the input holds "${await typed()}").`);
  }
  if (!compact(request.text).includes(compact(text))) throw new Error(`The Chat view shows the request as "${request.text}", not "${text}".`);
  return session.locator(`.monaco-list-row[data-index="${String(request.index + 1)}"] .interactive-item-container.interactive-response`);
}
