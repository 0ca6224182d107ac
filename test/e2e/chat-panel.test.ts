import type { FrameLocator } from 'playwright-core';
import { startOllamaEmulator, startOpenAIEmulator, type OllamaEmulator, type OpenAIEmulator } from '../emulators';
import { expect } from './expect';
import { workbench } from './hooks';
import { suiteWithConfigurations } from './suite';
import { toggleTheme, type Workbench } from './workbench';
import { until } from '../helpers/until';

const OPENAI_KEY = 'sk-e2e-chat-panel-93ad0c';



async function theme(wb: Workbench): Promise<string> {
  return (await wb.page.locator('.monaco-workbench.vs-dark, .monaco-workbench.hc-black').count()) > 0 ? 'dark' : 'light';
}

/** The chat panel in the current theme and the opposite one, each named by its theme. */
async function shoot(wb: Workbench, name: string): Promise<void> {
  await wb.screenshot(`chat-panel-${name}-${await theme(wb)}`);
  await toggleTheme(wb);
  await wb.screenshot(`chat-panel-${name}-${await theme(wb)}`);
  await toggleTheme(wb);
}

describe('Model Manager Chat: the extension\'s own chat panel in the real webview', () => {
  let openai: OpenAIEmulator;
  let ollama: OllamaEmulator;
  let chat: FrameLocator;

  suiteWithConfigurations({ openai: () => startOpenAIEmulator({ apiKey: OPENAI_KEY }), ollama: () => startOllamaEmulator() }, (started) => {
    ({ openai, ollama } = started);
    return [
      { provider: 'openai', name: 'Chat OpenAI', baseUrl: `${openai.url}/v1`, model: 'gpt-4o-mini', apiKey: OPENAI_KEY },
      { provider: 'ollama', name: 'Chat Ollama', baseUrl: ollama.url, model: 'gemma3:1b' },
    ];
  });

  it('streams an OpenAI answer with its badge, then switches to Ollama mid-conversation with the history carried along', async () => {
    const wb = workbench();
    await wb.runCommand('Model Manager: Open Chat');
    chat = wb.webview();
    const model = chat.locator('select').first();
    await model.locator('option', { hasText: 'Chat OpenAI' }).waitFor({ state: 'attached', timeout: 15_000 });
    await model.selectOption({ label: 'Chat OpenAI (gpt-4o-mini · OpenAI)' });
    const prompt = chat.locator('textarea');
    await prompt.fill('Invent a new holiday and describe its traditions.');
    await prompt.press('Enter');
    const answers = chat.locator('article.turn.assistant:not(.streaming)');
    await expect(answers.first()).toContainText('Holiday Name:');
    await expect(answers.first().locator('strong').first()).toContainText('Holiday Name:');
    await expect(answers.first()).toContainText('Harmony Day');
    const firstBadge = answers.first().locator('[data-testid="badge"]');
    await expect(firstBadge).toContainText('Chat OpenAI');
    await expect(firstBadge).toContainText('16 in · 300 out');
    await expect(firstBadge).toContainText(/\$0\.\d+/);
    await expect(firstBadge).toContainText(/\d+ ms/);
    // Numbered items separated by blank lines keep their numbers.
    if ((await answers.first().locator('ol[start="2"]').count()) === 0) throw new Error('the second numbered item lost its number');

    await model.selectOption({ label: 'Chat Ollama (gemma3:1b · Ollama)' });
    await prompt.fill('Count from 1 to 5');
    await prompt.press('Enter');
    await expect(chat.locator('.switch')).toContainText('Now answering with Chat Ollama');
    await expect(answers.nth(1)).toContainText('Okay, here we go!');
    await expect(answers.nth(1).locator('[data-testid="badge"]')).toContainText('Chat Ollama');
    await expect(answers.nth(1).locator('[data-testid="badge"]')).toContainText('gemma3:1b');
    // The whole conversation went to Ollama, the OpenAI answer included.
    const sent = ollama.requests.filter((r) => r.path === '/api/chat').at(-1)?.body as { messages: { role: string; content: string }[] } | undefined;
    if (!sent) throw new Error('Ollama received no chat');
    const roles = sent.messages.map((m) => m.role).join(',');
    if (roles !== 'user,assistant,user') throw new Error(`Ollama got the roles ${roles}`);
    if (!sent.messages[1]?.content.includes('Harmony Day')) throw new Error('the OpenAI answer did not reach Ollama');
    await shoot(wb, 'switch');
  });

  it('stops a streaming answer: the Stop button closes the upstream connection', async () => {
    const wb = workbench();
    const model = chat.locator('select').first();
    await model.selectOption({ label: 'Chat OpenAI (gpt-4o-mini · OpenAI)' });
    openai.inject({ endless: true });
    const closedBefore = openai.closedByClient.length;
    const prompt = chat.locator('textarea');
    await prompt.fill('Keep going');
    await prompt.press('Enter');
    await expect(chat.locator('[data-testid="streaming"]')).toContainText('Harmony Day');
    await chat.locator('vscode-button', { hasText: 'Stop' }).click();
    const badge = chat.locator('article.turn.assistant [data-testid="badge"]').last();
    await expect(badge).toContainText('Stopped');
    // Stopped or not, the badge says who was answering.
    await expect(badge).toContainText('Chat OpenAI');
    await expect(badge).toContainText('gpt-4o-mini');
    await expect(chat.locator('vscode-button', { hasText: 'Send' })).toBeVisible();
    await until('the emulator to see the connection close', () => openai.closedByClient.length > closedBefore, 5_000);
    await wb.screenshot(`chat-panel-stopped-${await theme(wb)}`);
  });

  it('keeps conversations in the store: a new one starts empty, the earlier one reopens with its badges', async () => {
    await chat.locator('vscode-button', { hasText: 'New' }).click();
    await expect(chat.locator('.hint')).toContainText('Ask anything');
    if ((await chat.locator('article.turn').count()) !== 0) throw new Error('a new conversation should start empty');
    const conversation = chat.locator('select').nth(1);
    await conversation.selectOption({ label: 'Invent a new holiday and describe its traditions.' });
    await expect(chat.locator('article.turn.assistant').first()).toContainText('Harmony Day');
    await expect(chat.locator('article.turn.assistant [data-testid="badge"]').nth(1)).toContainText('Chat Ollama');
    // The answer that was stopped is kept as far as it had come, marked as stopped.
    await expect(chat.locator('article.turn.assistant').nth(2)).toContainText('more more');
    await expect(chat.locator('article.turn.assistant [data-testid="badge"]').nth(2)).toContainText('Stopped');
    await expect(chat.locator('article.turn.assistant [data-testid="badge"]').nth(2)).toContainText('Chat OpenAI');
    // Other suites in this window (images) keep conversations of their own: the list loses exactly this one.
    const listed = await conversation.locator('option').count();
    await chat.locator('vscode-button', { hasText: 'Delete' }).click();
    await expect(chat.locator('.hint')).toContainText('Ask anything');
    if ((await conversation.locator('option').count()) !== listed - 1) throw new Error('the deleted conversation is still listed');
  });

  it('/compare answers one prompt with both configurations in columns side by side, each with its badge', async () => {
    const wb = workbench();
    await chat.locator('select').first().selectOption({ label: 'Chat OpenAI (gpt-4o-mini · OpenAI)' });
    const openaiBefore = openai.requests.filter((r) => r.path === '/v1/chat/completions').length;
    const ollamaBefore = ollama.requests.filter((r) => r.path === '/api/chat').length;
    const prompt = chat.locator('textarea');
    await prompt.fill('/compare Invent a new holiday and describe its traditions.');
    await prompt.press('Enter');
    const columns = chat.locator('[data-testid="compare-column"]');
    await expect(chat.locator('[data-testid="compare"]')).toContainText('Compared: Invent a new holiday');
    await expect(columns.nth(0).locator('[data-testid="badge"]')).toContainText('Chat OpenAI');
    await expect(columns.nth(1).locator('[data-testid="badge"]')).toContainText('Chat Ollama');
    await expect(columns.nth(0)).toContainText('Harmony Day');
    await expect(columns.nth(1)).toContainText('Okay, here we go!');
    await expect(columns.nth(0).locator('[data-testid="badge"]')).toContainText('16 in · 300 out');
    await expect(columns.nth(1).locator('[data-testid="badge"]')).toContainText('gemma3:1b');
    if ((await columns.count()) !== 2) throw new Error(`expected two columns, got ${String(await columns.count())}`);
    // Side by side: both start at the same height, the second to the right of the first.
    const [left, right] = [await columns.nth(0).boundingBox(), await columns.nth(1).boundingBox()];
    if (!left || !right || right.x < left.x + left.width - 1 || Math.abs(left.y - right.y) > 2) throw new Error(`the columns are not side by side: ${JSON.stringify([left, right])}`);
    // The same prompt went to each provider, without the "/compare" command.
    const toOpenAI = openai.requests.filter((r) => r.path === '/v1/chat/completions').slice(openaiBefore).at(-1)?.body as { messages: { content: string }[] } | undefined;
    const toOllama = ollama.requests.filter((r) => r.path === '/api/chat').slice(ollamaBefore).at(-1)?.body as { messages: { content: string }[] } | undefined;
    for (const [name, body] of [['OpenAI', toOpenAI], ['Ollama', toOllama]] as const) {
      if (body?.messages.at(-1)?.content !== 'Invent a new holiday and describe its traditions.') throw new Error(`${name} did not get the compared prompt: ${JSON.stringify(body)}`);
    }
    await expect(chat.locator('vscode-button', { hasText: 'Send' })).toBeVisible();
    await shoot(wb, 'compare');
  });

  it('sends an editor selection with its file name and language: Ask Model About Selection (ctrl+alt+m)', async () => {
    const wb = workbench();
    await wb.runCommand('File: New Untitled Text File');
    await wb.page.locator('.monaco-editor textarea').first().waitFor();
    await wb.page.keyboard.type('const answer = 42;');
    await wb.page.keyboard.press('Control+a');
    await wb.page.keyboard.press('Control+Alt+m');
    chat = wb.webview();
    await expect(chat.locator('.attachment')).toContainText(/Selection from Untitled-\d+ \(plaintext\) attached/);
    const prompt = chat.locator('textarea');
    if (!/^Explain this code from Untitled-\d+ \(lines 1-1\):/.test(await prompt.inputValue())) throw new Error(`the prompt was not pre-filled: ${await prompt.inputValue()}`);
    await chat.locator('select').first().selectOption({ label: 'Chat OpenAI (gpt-4o-mini · OpenAI)' });
    await prompt.press('Enter');
    await expect(chat.locator('article.turn.user').last()).toContainText('const answer = 42;');
    await expect(chat.locator('article.turn.assistant [data-testid="badge"]').last()).toContainText('Chat OpenAI');
    const sent = openai.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)?.body as { messages: { content: string }[] } | undefined;
    const last = sent?.messages.at(-1)?.content ?? '';
    if (!/Untitled-\d+ \(plaintext\):\n```plaintext\nconst answer = 42;\n```$/.test(last)) throw new Error(`the selection did not reach the model as fenced code: ${last}`);
    await wb.screenshot(`chat-panel-selection-${await theme(wb)}`);
  });
});
