import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators';
import { eventuallyEquals, expect } from './expect';
import { workbench } from './hooks';
import { suiteWithConfigurations } from './suite';

const OPENAI_KEY = 'sk-e2e-chat-long-answer-5b27e1';
/** 300,000 characters in numbered paragraphs: more than one chat message carries (200,000). */
const LONG_ANSWER = Array.from({ length: 2600 }, (_, i) => `Paragraph ${String(i + 1)} of a very long answer. ${'More of the same answer. '.repeat(4)}`).join('\n\n').slice(0, 300_000);

describe('Model Manager Chat: an answer longer than one chat message carries', () => {
  let openai: OpenAIEmulator;

  suiteWithConfigurations({ openai: () => startOpenAIEmulator({ apiKey: OPENAI_KEY }) }, (started) => {
    ({ openai } = started);
    return [{ provider: 'openai', name: 'Long OpenAI', baseUrl: `${openai.url}/v1`, model: 'gpt-4o-mini', apiKey: OPENAI_KEY }];
  });

  it('shows the start of a 300,000-character answer with how much is not shown, lists its conversation, and takes the next turn', async () => {
    const wb = workbench();
    if (LONG_ANSWER.length !== 300_000) throw new Error(`the answer has ${String(LONG_ANSWER.length)} characters`);
    openai.answerWith(LONG_ANSWER);
    await wb.runCommand('Model Manager: Open Chat');
    const chat = wb.webview();
    const model = chat.locator('select').first();
    await model.locator('option', { hasText: 'Long OpenAI' }).waitFor({ state: 'attached', timeout: 15_000 });
    await model.selectOption({ label: 'Long OpenAI (gpt-4o-mini · OpenAI)' });
    const prompt = chat.locator('textarea');
    await prompt.fill('Write the longest answer you can.');
    await prompt.press('Enter');

    const answers = chat.locator('article.turn.assistant:not(.streaming)');
    const first = answers.first();
    await expect(first).toContainText('Paragraph 1 of a very long answer.');
    await expect(first).toContainText(/more characters are not shown: the chat page shows at most 200,000 characters of one message/);
    await expect(first.locator('[data-testid="badge"]')).toContainText('Long OpenAI');
    // The saved turn reached the page's state: its conversation is listed and open.
    const conversation = chat.locator('select').nth(1);
    await eventuallyEquals(async () => (await conversation.locator('option:checked').innerText()).trim(), 'Write the longest answer you can.', 'the open conversation');
    if ((await chat.locator('.turn.error').count()) > 0) throw new Error(`the page shows an error: ${await chat.locator('.turn.error').first().innerText()}`);

    // The conversation goes on: the next answer arrives in the same conversation, after the long one.
    openai.answerWith(undefined);
    await prompt.fill('Now a short one.');
    await prompt.press('Enter');
    await expect(answers.nth(1)).toContainText('Harmony Day');
    await eventuallyEquals(() => answers.count(), 2, 'the answers shown');
  });
});
