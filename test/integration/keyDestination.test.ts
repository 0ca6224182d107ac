import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestResult } from '../../src/core/providers';
import type { StoreSession } from '../../src/core/session';
import type { AIConfiguration } from '../../src/core/store';
import type { RpcResponse } from '../../src/protocol';
import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators';
import { testApi } from './api';
import { pick, press, type, withAnswers } from './prompts';
import { clearConfigurations, errorOf, resultOf } from './suite';

const KEY = 'sk-key-destination-canary-6c8e0a2b4d';

describe('the stored key and a changed server address, in the real VS Code: the palette and the editor ask first', function () {
  this.timeout(90_000);
  let first: OpenAIEmulator;
  let second: OpenAIEmulator;
  let session: StoreSession;
  let send: (raw: unknown) => Promise<RpcResponse | undefined>;
  let next = 70_000;
  const call = (method: string, params: unknown): Promise<RpcResponse | undefined> => send({ kind: 'request', id: ++next, method, params });
  const keyReached = (emulator: OpenAIEmulator) => emulator.requests.some((r) => JSON.stringify(r.headers).includes(KEY));
  const server = (emulator: OpenAIEmulator) => new URL(emulator.url).origin;
  const create = (name: string) => session.configurations.createConfiguration({ name, provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${first.url}/v1` }, apiKey: KEY });
  const movedSettings = (c: AIConfiguration) => ({ model: c.model, baseUrl: `${second.url}/v1` });

  before(async () => {
    first = await startOpenAIEmulator({ apiKey: KEY });
    second = await startOpenAIEmulator({ apiKey: KEY });
    const api = await testApi();
    send = (raw) => api.panel.send(raw);
    session = await api.services.open();
    await clearConfigurations(session);
  });

  beforeEach(() => {
    second.requests.length = 0;
  });

  after(async () => {
    await clearConfigurations(session);
    await second.close();
    await first.close();
  });

  it('the palette\'s edit asks "Send the stored key of <name> to <server>?" and keeps the old address when the user says no', async () => {
    const c = await create('Palette moved');
    const edit = (...answers: Parameters<typeof withAnswers>[0]) => withAnswers(answers, async (script) => ({ script, result: await vscode.commands.executeCommand<AIConfiguration | undefined>('modelManager.editConfiguration', c.id) }));
    const declined = await edit(pick('baseUrl'), type(`${second.url}/v1`), () => undefined);
    assert.equal(declined.result, undefined);
    const question = declined.script.asked[2];
    assert.ok(question?.kind === 'message', JSON.stringify(question));
    assert.equal(question.message, `Send the stored key of "Palette moved" to ${server(second)}?`);
    assert.equal(question.options.modal, true);
    assert.equal(session.configurations.getConfiguration(c.id).baseUrl, `${first.url}/v1`);

    const sent = await edit(pick('baseUrl'), type(`${second.url}/v1`), press('Send the Stored Key'));
    assert.equal(sent.result?.baseUrl, `${second.url}/v1`);
    assert.equal((await vscode.commands.executeCommand<TestResult>('modelManager.testConnection', c.id)).ok, true);
    assert.ok(keyReached(second), 'the user agreed: the key went to the new server');
  });

  it('the palette\'s edit can take a new key for the new server instead', async () => {
    const c = await create('Palette new key');
    const newKey = 'sk-for-the-second-server-1a3c5e7b9d';
    const { result } = await withAnswers([pick('baseUrl'), type(`${second.url}/v1`), press('Enter a New Key…'), type(newKey)], async () => ({ result: await vscode.commands.executeCommand<AIConfiguration | undefined>('modelManager.editConfiguration', c.id) }));
    assert.equal(result?.baseUrl, `${second.url}/v1`);
    assert.equal(session.keys.storedKeyOf(session.configurations.getConfiguration(c.id)), newKey);
  });

  it('the editor\'s Save, Test and model list of a typed address on another server do not send the stored key unless the user says yes', async () => {
    const c = await create('Editor moved');
    const draft = { provider: 'openai', settings: movedSettings(c), configurationId: c.id };

    // The live model list does not ask (it follows the typing): it is refused with the reason, and nothing is sent.
    const list = errorOf(await call('providers.models', { draft }));
    assert.ok(list.message.includes(server(second)), list.message);
    // Test and Save ask; the user says no to both (a question beyond the answers is dismissed, as with Escape).
    await withAnswers([() => undefined], async (script) => {
      const test = errorOf(await call('configurations.test', { draft }));
      assert.match(test.message, /not sent to/);
      const save = errorOf(await call('configurations.update', { id: c.id, baseUpdatedAt: c.updatedAt, settings: movedSettings(c) }));
      assert.equal(save.code, 'validation');
      assert.deepEqual(script.asked.map((q) => (q.kind === 'message' ? q.message : q.kind)), [0, 1].map(() => `Send the stored key of "Editor moved" to ${server(second)}?`));
    });
    assert.equal(second.requests.length, 0, 'the new server saw nothing');
    assert.equal(session.configurations.getConfiguration(c.id).baseUrl, `${first.url}/v1`);

    const tested = await withAnswers([press('Send the Stored Key')], async () => resultOf(await call('configurations.test', { draft })) as TestResult);
    assert.equal(tested.ok, true, tested.hint);
    assert.ok(keyReached(second));
    const saved = await withAnswers([press('Send the Stored Key')], async () => resultOf(await call('configurations.update', { id: c.id, baseUpdatedAt: c.updatedAt, settings: movedSettings(c) })) as { baseUrl: string });
    assert.equal(saved.baseUrl, `${second.url}/v1`);
  });
});
