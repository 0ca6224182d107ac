import type { FrameLocator } from 'playwright-core';
import { closeAllEditors } from './chatSetup';
import { eventuallyEquals, expect } from './expect';
import { workbench } from './hooks';

/** Pastes a picture drawn in the page, encoded as `encoding` but named and typed as `name` and `type` say. */
async function paste(chat: FrameLocator, file: { name: string; type: string; encoding: 'image/png' | 'image/jpeg' }): Promise<void> {
  await chat.locator('textarea').evaluate(async (textarea, { name, type, encoding }) => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 40;
    const g = canvas.getContext('2d');
    if (!g) throw new Error('no 2d context');
    g.fillStyle = '#1b998b';
    g.fillRect(0, 0, 64, 40);
    const blob = await new Promise<Blob | null>((resolve) => { canvas.toBlob(resolve, encoding); });
    if (!blob) throw new Error(`the canvas gave no ${encoding}`);
    const data = new DataTransfer();
    data.items.add(new File([blob], name, { type }));
    textarea.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, file);
}

describe('Model Manager Chat: an image whose bytes are not the type it says', () => {
  after(async () => {
    await closeAllEditors(workbench());
  });

  it('a JPEG named photo.png is not attached, and the page says what its bytes are; a real PNG is', async () => {
    const wb = workbench();
    await wb.runCommand('Model Manager: Open Chat');
    const chat = wb.webview();
    await chat.locator('textarea').waitFor({ timeout: 15_000 });
    await paste(chat, { name: 'photo.png', type: 'image/png', encoding: 'image/jpeg' });
    await expect(chat.locator('.turn.error').last()).toContainText('photo.png was not attached: it says it is a PNG, but its bytes are a JPEG image.');
    await eventuallyEquals(() => chat.locator('[data-testid="attached-images"] img').count(), 0, 'the attached images');
    await paste(chat, { name: 'real.png', type: 'image/png', encoding: 'image/png' });
    await eventuallyEquals(() => chat.locator('[data-testid="attached-images"] img').count(), 1, 'the attached images');
  });
});
