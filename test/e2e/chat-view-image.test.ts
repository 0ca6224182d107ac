import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators';
import { addThroughWizard, closeAllEditors, deleteThroughTree } from './chatSetup';
import { sendToChat } from './chatInput';
import { expect } from './expect';
import { workbench } from './hooks';
import { until } from '../helpers/until';
import { toggleTheme, type Workbench } from './workbench';

const OPENAI_KEY = 'sk-e2e-chat-view-image-8e41c7';
const NAME = 'View Vision OpenAI';
const PROMPT = 'What does this pasted picture show?';

async function theme(wb: Workbench): Promise<string> {
  return (await wb.page.locator('.monaco-workbench.vs-dark, .monaco-workbench.hc-black').count()) > 0 ? 'dark' : 'light';
}

/**
 * Pastes a PNG into the Chat view's input as the clipboard does (a paste event whose clipboard holds a PNG file): the
 * workspace is vscode-remote, so "attach file" cannot read a file of this machine, but a pasted image needs no file.
 * Drawn on a canvas (160×100, under the size VS Code resizes at), and returned as base64 so the bytes can be compared
 * with what the provider gets.
 */
async function pasteImage(wb: Workbench): Promise<string> {
  const editor = wb.page.locator('.interactive-session .interactive-input-part .monaco-editor').first();
  await editor.click();
  return editor.evaluate(async (element) => {
    const canvas = document.createElement('canvas');
    canvas.width = 160;
    canvas.height = 100;
    const g = canvas.getContext('2d');
    if (!g) throw new Error('no 2d context');
    const gradient = g.createLinearGradient(0, 0, 160, 100);
    gradient.addColorStop(0, '#1b998b');
    gradient.addColorStop(1, '#d7263d');
    g.fillStyle = gradient;
    g.fillRect(0, 0, 160, 100);
    g.fillStyle = '#ffffff';
    g.font = 'bold 22px sans-serif';
    g.fillText('pasted', 40, 58);
    const blob = await new Promise<Blob | null>((resolve) => { canvas.toBlob(resolve, 'image/png'); });
    if (!blob) throw new Error('the canvas gave no PNG');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const data = new DataTransfer();
    data.items.add(new File([bytes], 'pasted.png', { type: 'image/png' }));
    // The editor listens for paste on its own element; the focused element inside it is where a real paste starts.
    const target = element.contains(document.activeElement) ? document.activeElement : element;
    target?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  });
}

describe('an image pasted into VS Code\'s own Chat view reaches a vision model through @models', () => {
  let openai: OpenAIEmulator;

  before(async () => {
    openai = await startOpenAIEmulator({ apiKey: OPENAI_KEY });
    const wb = workbench();
    await addThroughWizard(wb, 'openai', NAME, `${openai.url}/v1`, 'gpt-4o-mini', OPENAI_KEY);
    await closeAllEditors(wb);
  });

  after(async () => {
    const wb = workbench();
    await closeAllEditors(wb);
    await deleteThroughTree(wb, [NAME]);
    await openai.close();
  });

  it('a PNG pasted into the Chat input and sent to @models with gpt-4o-mini arrives at the emulator as an image_url data URL of the same bytes', async () => {
    const wb = workbench();
    openai.use('text');
    await wb.runCommand('Chat: New Chat');
    await wb.runCommand('Chat: Open Chat');
    await wb.page.locator('.interactive-input-part .monaco-editor').first().waitFor({ timeout: 15_000 });
    // The Chat view attaches a pasted image only when the picked model declares image input: pick ours (gpt-4o-mini).
    const choices = wb.page.locator('.action-widget .action-list-item, .context-view .monaco-list-row');
    const deadline = performance.now() + 20_000;
    for (;;) {
      await wb.page.locator('.interactive-input-part a.model-picker-name').first().click();
      await wb.page.getByPlaceholder('Search models').fill(NAME);
      if (await choices.filter({ hasText: NAME }).first().waitFor({ timeout: 2000 }).then(() => true, () => false)) break;
      if (performance.now() > deadline) throw new Error(`the picker did not list our model: ${(await choices.allInnerTexts()).join(' | ')}`);
      await wb.page.keyboard.press('Escape');
    }
    await choices.filter({ hasText: NAME }).first().click();
    await expect(wb.page.locator('.interactive-input-part')).toContainText(NAME);

    const pasted = await pasteImage(wb);
    const attachment = wb.page.locator('.interactive-input-part .chat-attached-context .chat-attached-context-attachment');
    await until('the pasted image among the Chat input\'s attachments', async () => ((await attachment.count()) > 0 ? true : undefined), 10_000);
    await wb.screenshot(`chat-view-image-attached-${await theme(wb)}`);

    const before = openai.requests.length;
    const response = await sendToChat(wb, `@models ${PROMPT}`);
    await expect(response).toContainText('Harmony Day');
    await expect(response).toContainText(new RegExp(`${NAME} · gpt-4o-mini`));
    const request = await until('the image question at the emulator', () => openai.requests.slice(before).find((r) => JSON.stringify(r.body).includes(PROMPT)), 15_000);
    const last = (request.body as { messages: { role: string; content: unknown }[] }).messages.at(-1);
    const content = last?.content as { type: string; text?: string; image_url?: { url: string } }[] | undefined;
    const image = content?.find((part) => part.type === 'image_url');
    if (content?.find((part) => part.type === 'text')?.text !== PROMPT) throw new Error(`the prompt did not arrive as text: ${JSON.stringify(content).slice(0, 300)}`);
    if (image?.image_url?.url !== `data:image/png;base64,${pasted}`) {
      throw new Error(`the emulator did not get the pasted PNG's bytes as an image_url data URL: ${JSON.stringify(image).slice(0, 200)} (pasted ${String(pasted.length)} base64 characters)`);
    }
    await wb.screenshot(`chat-view-image-answer-${await theme(wb)}`);
    await toggleTheme(wb);
    await wb.screenshot(`chat-view-image-answer-${await theme(wb)}`);
    await toggleTheme(wb);
  });
});
