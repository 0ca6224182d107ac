import { startOllamaEmulator, type OllamaEmulator } from '../emulators';
import { eventuallyEquals, expect } from './expect';
import { pasteImage } from './pasteImage';
import { workbench } from './hooks';
import { suiteWithConfigurations } from './suite';
import { toggleTheme, type Workbench } from './workbench';

async function theme(wb: Workbench): Promise<string> {
  return (await wb.page.locator('.monaco-workbench.vs-dark, .monaco-workbench.hc-black').count()) > 0 ? 'dark' : 'light';
}

/** The chat panel in the current theme and the opposite one, each named by its theme. */
async function shoot(wb: Workbench, name: string): Promise<void> {
  await wb.screenshot(`chat-reasoning-${name}-${await theme(wb)}`);
  await toggleTheme(wb);
  await wb.screenshot(`chat-reasoning-${name}-${await theme(wb)}`);
  await toggleTheme(wb);
}

describe('Model Manager Chat: a model\'s reasoning, collapsed above its answer', () => {
  let ollama: OllamaEmulator;

  suiteWithConfigurations({ ollama: () => startOllamaEmulator() }, (started) => {
    ({ ollama } = started);
    return [{ provider: 'ollama', name: 'Thinking Ollama', baseUrl: ollama.url, model: 'gemma3:1b' }];
  });

  it('shows the reasoning collapsed while it streams, then above the saved answer, where a click opens it', async () => {
    const wb = workbench();
    ollama.use('thinking');
    await wb.runCommand('Model Manager: Open Chat');
    const chat = wb.webview();
    const model = chat.locator('select').first();
    await model.locator('option', { hasText: 'Thinking Ollama' }).waitFor({ state: 'attached', timeout: 15_000 });
    await model.selectOption({ label: 'Thinking Ollama (gemma3:1b · Ollama)' });
    const prompt = chat.locator('textarea');

    // The stream stops after its first (thinking) line: the turn shows its reasoning so far, still coming.
    ollama.inject({ stall: 'body', path: /\/api\/chat$/ });
    await prompt.fill('How many r are in strawberry?');
    await prompt.press('Enter');
    const live = chat.locator('[data-testid="streaming"] [data-testid="reasoning"]');
    await expect(live.locator('summary')).toContainText('Reasoning…');
    if ((await live.getAttribute('open')) !== null) throw new Error('the reasoning opened by itself');
    await shoot(wb, 'streaming');
    await chat.locator('vscode-button', { hasText: 'Stop' }).click();
    const answers = chat.locator('article.turn.assistant:not(.streaming)');
    await expect(answers.first().locator('[data-testid="reasoning"]')).toBeVisible();

    await prompt.fill('And in raspberry?');
    await prompt.press('Enter');
    const answer = answers.nth(1);
    await expect(answer).toContainText("There are three r's in strawberry.");
    const block = answer.locator('[data-testid="reasoning"]');
    await expect(block.locator('summary')).toContainText('Reasoning');
    await block.locator('.reasoning-text').waitFor({ state: 'hidden', timeout: 5_000 });
    // Above the answer's text, not below it.
    const [blockBox, textBox] = await Promise.all([block.boundingBox(), answer.locator('p', { hasText: "There are three r's" }).boundingBox()]);
    if (!blockBox || !textBox || blockBox.y >= textBox.y) throw new Error('the reasoning is not above the answer');
    await block.locator('summary').click();
    await expect(block.locator('.reasoning-text')).toContainText('Spelling it out: s-t-r-a-w-b-e-r-r-y, that is three.');
    await expect(answer.locator('[data-testid="badge"]')).toContainText('18 in · 61 out');
    await shoot(wb, 'open');
  });
});

describe('Model Manager Chat: an image turn with its reasoning block', () => {
  let ollama: OllamaEmulator;

  // gemma3:4b says "vision" in /api/show, so Model Manager Chat lets an image go to it.
  suiteWithConfigurations({ ollama: () => startOllamaEmulator({ alsoInstalled: ['gemma3:4b'] }) }, (started) => {
    ({ ollama } = started);
    return [{ provider: 'ollama', name: 'Seeing Ollama', baseUrl: ollama.url, model: 'gemma3:4b' }];
  });

  it('a pasted image goes to the vision model, and the turn shows the thumbnail, the reasoning block above the answer, light and dark', async () => {
    const wb = workbench();
    ollama.use('thinking');
    await wb.runCommand('Model Manager: Open Chat');
    const chat = wb.webview();
    await chat.locator('vscode-button', { hasText: 'New' }).click();
    const model = chat.locator('select').first();
    await model.locator('option', { hasText: 'Seeing Ollama' }).waitFor({ state: 'attached', timeout: 15_000 });
    await model.selectOption({ label: 'Seeing Ollama (gemma3:4b · Ollama)' });
    await pasteImage(chat);
    await eventuallyEquals(() => chat.locator('[data-testid="attached-images"] img').count(), 1, 'the attached thumbnails');
    const prompt = chat.locator('textarea');
    await prompt.fill('How many r are in the word on this picture?');
    await prompt.press('Enter');
    const answer = chat.locator('article.turn.assistant:not(.streaming)').first();
    await expect(answer).toContainText("There are three r's in strawberry.");
    const sent = ollama.requests.filter((r) => r.path === '/api/chat').at(-1)?.body as { model: string; messages: { role: string; images?: string[] }[] } | undefined;
    const images = sent?.messages.at(-1)?.images ?? [];
    if (sent?.model !== 'gemma3:4b' || images.length !== 1 || !images[0]?.startsWith('iVBORw0KGgo')) throw new Error(`the image did not reach Ollama as a base64 PNG on the message: ${JSON.stringify(sent).slice(0, 300)}`);
    const turnImage = chat.locator('article.turn.user [data-testid="turn-images"] img');
    await eventuallyEquals(() => turnImage.count(), 1, 'the thumbnail in the turn');
    const block = answer.locator('[data-testid="reasoning"]');
    await expect(block.locator('summary')).toContainText('Reasoning');
    await block.locator('summary').click();
    await expect(block.locator('.reasoning-text')).toContainText('Spelling it out: s-t-r-a-w-b-e-r-r-y, that is three.');
    await turnImage.scrollIntoViewIfNeeded();
    await wb.screenshot(`chat-image-reasoning-${await theme(wb)}`);
    await toggleTheme(wb);
    await turnImage.scrollIntoViewIfNeeded();
    await wb.screenshot(`chat-image-reasoning-${await theme(wb)}`);
    await toggleTheme(wb);
  });
});
