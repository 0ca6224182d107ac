import type { FrameLocator } from 'playwright-core';

/**
 * Pastes an image into the prompt as a user does (a paste event whose clipboard holds a PNG file): drawn on a canvas in
 * the page, so the thumbnail shows something; `bytes` instead pastes a file of that size (for the size limit).
 */
export async function pasteImage(chat: FrameLocator, options: { bytes?: number } = {}): Promise<void> {
  await chat.locator('textarea').evaluate(async (textarea, bytes) => {
    let file: File;
    if (bytes < 0) {
      const canvas = document.createElement('canvas');
      canvas.width = 160;
      canvas.height = 100;
      const g = canvas.getContext('2d');
      if (!g) throw new Error('no 2d context');
      const gradient = g.createLinearGradient(0, 0, 160, 100);
      gradient.addColorStop(0, '#d7263d');
      gradient.addColorStop(1, '#1b998b');
      g.fillStyle = gradient;
      g.fillRect(0, 0, 160, 100);
      g.fillStyle = '#ffffff';
      g.font = 'bold 22px sans-serif';
      g.fillText('pixel art', 28, 58);
      const blob = await new Promise<Blob | null>((resolve) => { canvas.toBlob(resolve, 'image/png'); });
      if (!blob) throw new Error('the canvas gave no PNG');
      file = new File([blob], 'screenshot.png', { type: 'image/png' });
    } else {
      file = new File([new Uint8Array(bytes)], 'huge.png', { type: 'image/png' });
    }
    const data = new DataTransfer();
    data.items.add(file);
    textarea.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, options.bytes ?? -1);
}
