import type { FrameLocator } from 'playwright-core';
import { pasteImage } from './pasteImage';
import { startOllamaEmulator, startOpenAIEmulator, type OllamaEmulator, type OpenAIEmulator } from '../emulators';
import { eventuallyEquals, expect } from './expect';
import { workbench } from './hooks';
import { suiteWithConfigurations } from './suite';
import { toggleTheme, type Workbench } from './workbench';

const OPENAI_KEY = 'sk-e2e-chat-images-5b17e2';

async function theme(wb: Workbench): Promise<string> {
  return (await wb.page.locator('.monaco-workbench.vs-dark, .monaco-workbench.hc-black').count()) > 0 ? 'dark' : 'light';
}

describe('Model Manager Chat: images pasted into a prompt', () => {
  let openai: OpenAIEmulator;
  let ollama: OllamaEmulator;
  let chat: FrameLocator;

  suiteWithConfigurations({ openai: () => startOpenAIEmulator({ apiKey: OPENAI_KEY }), ollama: () => startOllamaEmulator() }, (started) => {
    ({ openai, ollama } = started);
    return [
      { provider: 'openai', name: 'Vision OpenAI', baseUrl: `${openai.url}/v1`, model: 'gpt-4o-mini', apiKey: OPENAI_KEY },
      { provider: 'ollama', name: 'Text Ollama', baseUrl: ollama.url, model: 'gemma3:1b' },
    ];
  });

  it('a pasted image shows as a thumbnail, goes to gpt-4o-mini as an image_url part, and stays in the turn with the answer', async () => {
    const wb = workbench();
    await wb.runCommand('Model Manager: Open Chat');
    chat = wb.webview();
    const model = chat.locator('select').first();
    await model.locator('option', { hasText: 'Vision OpenAI' }).waitFor({ state: 'attached', timeout: 15_000 });
    await model.selectOption({ label: 'Vision OpenAI (gpt-4o-mini · OpenAI)' });
    await pasteImage(chat);
    await eventuallyEquals(() => chat.locator('[data-testid="attached-images"] img').count(), 1, 'the attached thumbnails');
    const prompt = chat.locator('textarea');
    await prompt.fill('What does this screenshot show?');
    await wb.screenshot(`chat-images-attached-${await theme(wb)}`);
    await prompt.press('Enter');
    const answer = chat.locator('article.turn.assistant:not(.streaming)').first();
    await expect(answer).toContainText('Harmony Day');
    await expect(answer.locator('[data-testid="badge"]')).toContainText('Vision OpenAI');
    const turnImage = chat.locator('article.turn.user [data-testid="turn-images"] img');
    await eventuallyEquals(() => turnImage.count(), 1, 'the thumbnails in the turn');
    await eventuallyEquals(async () => (await turnImage.getAttribute('src'))?.startsWith('data:image/png;base64,iVBORw0KGgo'), true, 'the thumbnail showing the sent PNG');
    await eventuallyEquals(() => chat.locator('[data-testid="attached-images"]').count(), 0, 'the attachment row');
    const sent = openai.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)?.body as { messages: { role: string; content: unknown }[] } | undefined;
    const content = sent?.messages.at(-1)?.content as { type: string; text?: string; image_url?: { url: string } }[] | undefined;
    if (content?.[0]?.text !== 'What does this screenshot show?' || content[1]?.type !== 'image_url' || !content[1].image_url?.url.startsWith('data:image/png;base64,iVBORw0KGgo')) {
      throw new Error(`the provider did not get the image as an image_url part: ${JSON.stringify(content).slice(0, 300)}`);
    }
    // The page scrolls to the answer's end: the turn with the thumbnail is brought back into view for the screenshots.
    await turnImage.scrollIntoViewIfNeeded();
    await wb.screenshot(`chat-images-turn-${await theme(wb)}`);
    await toggleTheme(wb);
    await turnImage.scrollIntoViewIfNeeded();
    await wb.screenshot(`chat-images-turn-${await theme(wb)}`);
    await toggleTheme(wb);
  });

  it('the image stays with the conversation: reopened, the turn shows its thumbnail again', async () => {
    await chat.locator('vscode-button', { hasText: 'New' }).click();
    await expect(chat.locator('.hint')).toContainText('Ask anything');
    await chat.locator('select').nth(1).selectOption({ label: 'What does this screenshot show?' });
    await eventuallyEquals(() => chat.locator('article.turn.user [data-testid="turn-images"] img').count(), 1, 'the thumbnails in the reopened turn');
    await expect(chat.locator('article.turn.assistant').first()).toContainText('Harmony Day');
  });

  it('an image over the size limit is not attached, and the page says why', async () => {
    await pasteImage(chat, { bytes: 4_000_000 });
    await expect(chat.locator('.turn.error').last()).toContainText('huge.png was not attached: it is 3.81 MB, and an image may be at most 3.75 MB');
    await eventuallyEquals(() => chat.locator('[data-testid="attached-images"]').count(), 0, 'the attachment row');
  });

  it('a model without vision (Ollama gemma3:1b) refuses the image with what to do, and nothing is sent', async () => {
    const wb = workbench();
    await chat.locator('select').first().selectOption({ label: 'Text Ollama (gemma3:1b · Ollama)' });
    const before = ollama.requests.filter((r) => r.path === '/api/chat').length;
    await pasteImage(chat);
    await chat.locator('textarea').fill('Describe it');
    await chat.locator('textarea').press('Enter');
    await expect(chat.locator('.turn.error').last()).toContainText('Text Ollama takes no images. Pick a model that reads images');
    if (ollama.requests.filter((r) => r.path === '/api/chat').length !== before) throw new Error('the image went to a model without vision');
    await wb.screenshot(`chat-images-refused-${await theme(wb)}`);
  });
});
