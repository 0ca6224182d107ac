import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startOpenAIEmulator } from '../emulators';
import { PNG_1X1 } from '../emulators/images';
import { until } from '../helpers/until';
import { testApi } from './api';

/** VS Code's LanguageModelDataPart: stable in 1.106+, typed from 1.106; the project's typings are 1.104's. */
const DataPart = (vscode as unknown as { LanguageModelDataPart: { image(data: Uint8Array, mimeType: string): unknown } }).LanguageModelDataPart;

describe('images whose bytes are not the type they say, through vscode.lm', () => {
  it('a PNG handed over as image/jpeg is refused with what its bytes are, and nothing reaches the provider', async () => {
    const emulator = await startOpenAIEmulator();
    const { configurations } = await (await testApi()).services.open();
    const row = await configurations.createConfiguration({ name: 'Image bytes OpenAI', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${emulator.url}/v1` }, apiKey: emulator.apiKey });
    try {
      const model = await until('the configuration among the chat models', async () => (await vscode.lm.selectChatModels({ vendor: 'model-manager' })).find((m) => m.id === `configuration:${row.id}`));
      const parts = [new vscode.LanguageModelTextPart('What is this?'), DataPart.image(Buffer.from(PNG_1X1, 'base64'), 'image/png'), DataPart.image(Buffer.from(PNG_1X1, 'base64'), 'image/jpeg')];
      const before = emulator.requests.length;
      await assert.rejects(async () => {
        const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(parts as vscode.LanguageModelTextPart[])], {}, new vscode.CancellationTokenSource().token);
        for await (const text of response.text) assert.equal(typeof text, 'string');
      }, (error: unknown) => {
        assert.match((error as Error).message, /Image 2 says it is a JPEG \(image\/jpeg\), but its bytes are a PNG image; it was not sent\. Save the image again as the type it says/);
        return true;
      });
      assert.deepEqual(emulator.requests.slice(before).map((r) => r.path), [], 'nothing reached the provider');
    } finally {
      await configurations.deleteConfiguration(row.id);
      await emulator.close();
    }
  });
});
