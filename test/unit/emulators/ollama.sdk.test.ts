import * as assert from 'node:assert/strict';
import { Ollama } from 'ollama';
import { startOllamaEmulator, type OllamaEmulator } from '../../emulators';

describe('the Ollama emulator, read by the official ollama SDK', () => {
  let emulator: OllamaEmulator;
  let ollama: Ollama;

  before(async () => {
    emulator = await startOllamaEmulator();
    ollama = new Ollama({ host: emulator.url });
  });
  after(() => emulator.close());

  it('lists local models', async () => {
    const { models } = await ollama.list();
    assert.deepEqual(models.map((m) => m.name), ['gemma3:1b', 'llama3.2:latest']);
  });

  it('shows a model with its context length', async () => {
    const info = await ollama.show({ model: 'gemma3:1b' });
    assert.equal((info.model_info as unknown as Record<string, unknown>)['gemma3.context_length'], 32768);
  });

  it('streams a chat as NDJSON, ending with the counts', async () => {
    let text = '';
    let evalCount = 0;
    for await (const part of await ollama.chat({ model: 'gemma3:1b', messages: [{ role: 'user', content: 'hello' }], stream: true })) {
      text += part.message.content;
      if (part.done) evalCount = part.eval_count;
    }
    assert.ok(text.startsWith('Okay'));
    assert.equal(evalCount, 22);
  });

  it('answers a chat without streaming', async () => {
    const response = await ollama.chat({ model: 'gemma3:1b', messages: [{ role: 'user', content: 'hello' }], stream: false });
    assert.equal(response.done, true);
    assert.equal(response.prompt_eval_count, 16);
  });

  it('streams pull progress up to success', async () => {
    const statuses: string[] = [];
    for await (const progress of await ollama.pull({ model: 'gemma3:1b', stream: true })) statuses.push(progress.status);
    assert.equal(statuses[0], 'pulling manifest');
    assert.equal(statuses.at(-1), 'success');
  });

  it('deletes a model, and raises ResponseError 404 for a missing one', async () => {
    await ollama.delete({ model: 'gemma3:1b' });
    await assert.rejects(ollama.delete({ model: 'nope' }), (e: unknown) => e instanceof Error && e.name === 'ResponseError' && (e as { status_code?: number }).status_code === 404);
  });

  it('raises an error for an unknown model', async () => {
    await assert.rejects(ollama.chat({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }), /not found/);
  });

  it('raises the error of a 500', async () => {
    emulator.inject({ status: 500 });
    await assert.rejects(ollama.list(), /llama runner process has terminated/);
  });
});
