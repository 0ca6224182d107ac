import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators';
import { addThroughWizard, closeAllEditors, deleteThroughTree } from './chatSetup';
import { expect } from './expect';
import { workbench } from './hooks';
import { toggleTheme, type Workbench } from './workbench';

const OPENAI_KEY = 'sk-e2e-chat-view-5b20d1';

async function theme(wb: Workbench): Promise<string> {
  return (await wb.page.locator('.monaco-workbench.vs-dark, .monaco-workbench.hc-black').count()) > 0 ? 'dark' : 'light';
}

describe('configured models in VS Code\'s own Chat view', () => {
  let openai: OpenAIEmulator;

  before(async () => {
    openai = await startOpenAIEmulator({ apiKey: OPENAI_KEY });
    const wb = workbench();
    await addThroughWizard(wb, 'openai', 'Native OpenAI', `${openai.url}/v1`, 'gpt-4o-mini', OPENAI_KEY);
    await addThroughWizard(wb, 'openai', 'Second OpenAI', `${openai.url}/v1`, 'gpt-4o-mini', OPENAI_KEY);
    await closeAllEditors(wb);
  });

  after(async () => {
    const wb = workbench();
    await closeAllEditors(wb);
    // Leave VS Code as the other suites expect it: no configurations, the Chat view's conversation cleared.
    await deleteThroughTree(wb, ['Native OpenAI', 'Second OpenAI']);
    await openai.close();
  });

  it('answers a prompt typed into the Chat view with our model chosen in its picker, streamed from the emulator', async () => {
    const wb = workbench();
    await wb.runCommand('Chat: Open Chat');
    const chatInput = wb.page.locator('.interactive-input-part .monaco-editor').first();
    await chatInput.waitFor({ timeout: 15_000 });
    // The picker shows the current and pinned models; the others are found through its search field. A model added a
    // moment ago reaches the picker once VS Code has asked the provider again, so look until it is there.
    const choices = wb.page.locator('.action-widget .action-list-item, .context-view .monaco-list-row');
    const deadline = Date.now() + 20_000;
    for (;;) {
      await wb.page.locator('.interactive-input-part a.model-picker-name').first().click();
      await wb.page.getByPlaceholder('Search models').fill('Second OpenAI');
      if (await choices.filter({ hasText: 'Second OpenAI' }).first().waitFor({ timeout: 2000 }).then(() => true, () => false)) break;
      if (Date.now() > deadline) throw new Error(`the picker did not list our model: ${(await choices.allInnerTexts()).join(' | ')}`);
      await wb.page.keyboard.press('Escape');
    }
    await wb.screenshot(`chat-view-picker-${await theme(wb)}`);
    await choices.filter({ hasText: 'Second OpenAI' }).first().click();
    await expect(wb.page.locator('.interactive-input-part')).toContainText('Second OpenAI');
    const before = openai.requests.length;
    await chatInput.click();
    // Without Copilot the Chat view has no default agent: our sticky @models participant answers with the picked model.
    await wb.page.keyboard.type('@models Invent a new holiday and describe its traditions.');
    await wb.page.keyboard.press('Enter');
    const response = wb.page.locator('.interactive-item-container.interactive-response').last();
    await expect(response).toContainText('Harmony Day');
    await expect(response).toContainText('Overall Spirit');
    // The picked model answered, not the active configuration (the first one added, Native OpenAI).
    await expect(response).toContainText(/Second OpenAI · gpt-4o-mini · 16 in \/ 300 out tokens/);
    if (openai.requests.length <= before) throw new Error('the emulator received no request');
    await wb.screenshot(`chat-view-answer-${await theme(wb)}`);
    await toggleTheme(wb);
    await wb.screenshot(`chat-view-answer-${await theme(wb)}`);
    await toggleTheme(wb);
  });

  it('@models switches with /use, adds up the conversation with /usage and compares configurations side by side with /compare', async () => {
    const wb = workbench();
    const chatInput = wb.page.locator('.interactive-input-part .monaco-editor').first();
    const send = async (text: string): Promise<void> => {
      await chatInput.click();
      await wb.page.keyboard.press('Control+a');
      await wb.page.keyboard.press('Backspace');
      await wb.page.keyboard.type(text);
      const requests = wb.page.locator('.interactive-item-container.interactive-request');
      const sent = await requests.count();
      // An Enter may only accept the command suggestion; press it again until the request is in the list.
      for (let i = 0; i < 5 && (await requests.count()) === sent; i++) {
        await wb.page.keyboard.press('Enter');
        await new Promise((r) => setTimeout(r, 400));
      }
    };
    const lastResponse = () => wb.page.locator('.interactive-item-container.interactive-response').last();
    await send('@models /use Native OpenAI');
    await expect(lastResponse()).toContainText('This conversation now answers with Native OpenAI');
    await send('@models /usage');
    await expect(lastResponse()).toContainText('This conversation: 1 answers, 16 input and 300 output tokens, $0.000182');
    await send('@models /compare Invent a new holiday and describe its traditions.');
    await expect(lastResponse()).toContainText('Native OpenAI');
    await expect(lastResponse()).toContainText(/Native OpenAI · gpt-4o-mini · 16 in \/ 300 out tokens/);
    if ((await lastResponse().locator('h3').count()) < 2) throw new Error('/compare should show at least two sections');
    await wb.screenshot(`chat-view-compare-${await theme(wb)}`);
  });
});
