import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AIConfiguration } from '../../src/core/store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators';
import { PNG_1X1 } from '../emulators/images';
import { groupTakesImages, PARTICIPANT_IMAGE_BYTES, referencedImages } from '../../src/host/chat/participantImages';
import { answerModelsRequest } from '../../src/host/chat/ModelsParticipant';
import { CHAT_VENDOR } from '../../src/host/chat/LanguageModelProvider';
import { chunkLines } from '../emulators/recordings';
import { testApi } from './api';
import { until } from '../helpers/until';

const KEY = 'sk-participant-integration-31d0be';
const PROMPT = 'Invent a new holiday and describe its traditions.';

/** The usage the OpenAI emulator reports for the 'text' recording, straight from the fixture. */
function recordedUsage(): { input: number; output: number } {
  let usage = { input: 0, output: 0 };
  for (const line of chunkLines('recorded/openai/vercel-ai__openai-text.chunks.txt')) {
    const chunk = JSON.parse(line) as { usage?: { prompt_tokens: number; completion_tokens: number } | null };
    if (chunk.usage) usage = { input: chunk.usage.prompt_tokens, output: chunk.usage.completion_tokens };
  }
  return usage;
}

/** The Chat view answers through VS Code's own request queue: slower than a direct call on a loaded machine. */
const CHAT_VIEW_MS = 20_000;

describe('@models driven through the Chat view from the extension host', () => {
  let openai: OpenAIEmulator;
  let work: AIConfiguration;

  before(async function () {
    this.timeout(60_000);
    openai = await startOpenAIEmulator({ apiKey: KEY });
    const { services } = await testApi();
    const { configurations } = await services.open();
    for (const c of configurations.listConfigurations()) await configurations.deleteConfiguration(c.id);
    work = await configurations.createConfiguration({ name: 'Participant OpenAI', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${openai.url}/v1` }, apiKey: KEY });
    await configurations.setActiveConfiguration(work.id);
    // The first query of a fresh window can reach the Chat view before it is ready and be dropped (seen once in a
    // clean-clone run): warm the view up until a query gets through, then let its answer finish.
    const warm = 'Warm up: say OK.';
    for (let attempt = 1; ; attempt++) {
      const sent = openai.requests.length;
      await vscode.commands.executeCommand('workbench.action.chat.open', { query: `@models ${warm}`, isPartialQuery: false });
      const arrived = await until('the warm-up query', () => openai.requests.slice(sent).find((r) => JSON.stringify(r.body).includes(warm)), 8_000).catch(() => undefined);
      if (arrived) break;
      if (attempt === 4) throw new Error('The Chat view never passed a query to @models.');
    }
    const { usage } = await services.open();
    // Every warm-up query that reached the emulator is answered and recorded before the tests count requests.
    const warmUps = openai.requests.filter((r) => JSON.stringify(r.body).includes(warm)).length;
    await until('the warm-up answers to be recorded', () => usage.getUsageStats(work.id).requestCount >= warmUps, CHAT_VIEW_MS);
    await usage.settled();
    await vscode.commands.executeCommand('workbench.action.chat.newChat').then(undefined, () => undefined);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.chat.newChat').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const { services } = await testApi();
    const { configurations } = await services.open();
    for (const c of configurations.listConfigurations()) await configurations.deleteConfiguration(c.id);
    await openai.close();
  });

  it('a prompt sent with workbench.action.chat.open reaches the emulator through @models and its usage is recorded', async () => {
    openai.use('text');
    const { services } = await testApi();
    const session = await services.open();
    const before = session.usage.getUsageStats(work.id);
    const sent = openai.requests.length;
    await vscode.commands.executeCommand('workbench.action.chat.open', { query: `@models ${PROMPT}`, isPartialQuery: false });
    const request = await until('the participant\'s request at the emulator', () => openai.requests.slice(sent).find((r) => JSON.stringify(r.body).includes(PROMPT)), CHAT_VIEW_MS);
    const body = request.body as { messages: { role: string; content: string }[]; stream: boolean };
    assert.equal(body.stream, true);
    // The participant strips its own name: the provider gets the prompt as the user typed it after "@models".
    assert.deepEqual(body.messages.at(-1), { role: 'user', content: PROMPT });
    const after = await until('the answer in the usage figures', () => {
      const stats = session.usage.getUsageStats(work.id);
      return stats.requestCount === before.requestCount + 1 ? stats : undefined;
    }, CHAT_VIEW_MS);
    const expected = recordedUsage();
    assert.equal(after.inputTokens - before.inputTokens, expected.input);
    assert.equal(after.outputTokens - before.outputTokens, expected.output);
    assert.equal(after.errorCount, before.errorCount);
  });

  it('/compare asks every active configuration at once, and each answer\'s usage is recorded against its own', async () => {
    openai.use('text');
    const { services } = await testApi();
    const session = await services.open();
    const second = await session.configurations.createConfiguration({ name: 'Participant second', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${openai.url}/v1` }, apiKey: KEY });
    const before = [session.usage.getUsageStats(work.id).requestCount, session.usage.getUsageStats(second.id).requestCount];
    const sent = openai.requests.length;
    const prompt = 'Compare: name three colours.';
    await vscode.commands.executeCommand('workbench.action.chat.newChat');
    await vscode.commands.executeCommand('workbench.action.chat.open', { query: `@models /compare ${prompt}`, isPartialQuery: false });
    await until('both requests at the emulator', () => {
      const asked = openai.requests.slice(sent).filter((r) => JSON.stringify(r.body).includes(prompt));
      return asked.length === 2 ? asked : undefined;
    }, CHAT_VIEW_MS);
    await until('both answers in the usage figures', () =>
      session.usage.getUsageStats(work.id).requestCount === (before[0] ?? 0) + 1 && session.usage.getUsageStats(second.id).requestCount === (before[1] ?? 0) + 1, CHAT_VIEW_MS);
  });

  it('@models reads the images of a chat request\'s references (pasted bytes, attached image files) and knows which models take none', async () => {
    const { services } = await testApi();
    const session = await services.open();
    const folder = vscode.Uri.file(mkdtempSync(join(tmpdir(), 'mm-participant-image-')));
    const image = vscode.Uri.joinPath(folder, 'pixel.png');
    const notes = vscode.Uri.joinPath(folder, 'notes.txt');
    await vscode.workspace.fs.writeFile(image, Buffer.from(PNG_1X1, 'base64'));
    await vscode.workspace.fs.writeFile(notes, Buffer.from('not an image'));
    const textOnly = await session.configurations.createConfiguration({ name: 'Participant text only', provider: 'openai', settings: { model: 'gpt-3.5-turbo', baseUrl: `${openai.url}/v1` }, apiKey: KEY });
    try {
      // As VS Code 1.139 builds them: a pasted image as ChatReferenceBinaryData (mimeType, data()), a file by its Uri.
      const pasted = { mimeType: 'image/png', data: () => Promise.resolve(Buffer.from(PNG_1X1, 'base64')) };
      const references: vscode.ChatPromptReference[] = [
        { id: 'pasted', value: pasted, modelDescription: 'Pasted image' },
        { id: 'file', value: image },
        { id: 'text', value: notes },
        { id: 'selection', value: 'some text' },
      ];
      assert.deepEqual(await referencedImages(references), [{ mimeType: 'image/png', data: PNG_1X1 }, { mimeType: 'image/png', data: PNG_1X1 }]);
      // gpt-4o-mini reads images (gpt-tokenizer's model specs); gpt-3.5-turbo does not, and @models says so.
      assert.equal(await groupTakesImages(session, `configuration:${work.id}`), true);
      assert.equal(await groupTakesImages(session, `configuration:${textOnly.id}`), false);
    } finally {
      await session.configurations.deleteConfiguration(textOnly.id);
      rmSync(folder.fsPath, { recursive: true, force: true });
    }
  });
  it('@models refuses an image over 50 MB with a clear message before reading its bytes (a file by its size, pasted data by its own reference)', async () => {
    assert.equal(PARTICIPANT_IMAGE_BYTES, 50 * 1024 * 1024);
    // A file system whose one image says it is 60 MB and counts every read: the size comes from stat, never the bytes.
    const reads: string[] = [];
    const big = 60 * 1024 * 1024;
    const scheme = 'mm-big-image';
    const files: vscode.FileSystemProvider = {
      onDidChangeFile: new vscode.EventEmitter<vscode.FileChangeEvent[]>().event,
      watch: () => new vscode.Disposable(() => undefined),
      stat: () => ({ type: vscode.FileType.File, ctime: 0, mtime: 0, size: big }),
      readFile: (uri) => { reads.push(uri.path); return Buffer.from(PNG_1X1, 'base64'); },
      readDirectory: () => [],
      createDirectory: () => undefined,
      writeFile: () => undefined,
      delete: () => undefined,
      rename: () => undefined,
    };
    const registration = vscode.workspace.registerFileSystemProvider(scheme, files, { isReadonly: true });
    try {
      const file = vscode.Uri.from({ scheme, path: '/screens/huge.png' });
      await assert.rejects(referencedImages([{ id: 'file', value: file }]), (error: Error) => {
        assert.match(error.message, /huge\.png is 60\.0 MB; @models sends images of at most 50 MB\. .*smaller/);
        return true;
      });
      // Pasted data that names where it came from is sized by that file, and its data() is never called.
      let dataCalls = 0;
      const pasted = { mimeType: 'image/png', reference: file, data: () => { dataCalls++; return Promise.resolve(Buffer.from(PNG_1X1, 'base64')); } };
      await assert.rejects(referencedImages([{ id: 'pasted', value: pasted }]), /at most 50 MB/);
      assert.deepEqual(reads, [], 'no image bytes were read');
      assert.equal(dataCalls, 0, 'the pasted image\'s data was not read');
      // Pasted data without a file is sized as it arrives, before it is encoded or sent.
      const oversized = { mimeType: 'image/png', data: () => Promise.resolve(new Uint8Array(PARTICIPANT_IMAGE_BYTES + 1)) };
      await assert.rejects(referencedImages([{ id: 'pasted', value: oversized }]), /Image 1 is 50\.0 MB; @models sends images of at most 50 MB/);
    } finally {
      registration.dispose();
    }
  });

  it('/compare sends the request\'s images to every compared model, and says which takes none instead of dropping them', async function () {
    this.timeout(60_000);
    openai.use('text');
    const { services } = await testApi();
    const session = await services.open();
    // Exactly three configurations, the most /compare asks: the active one (vision), another with vision, one without.
    for (const c of session.configurations.listConfigurations()) if (c.id !== work.id) await session.configurations.deleteConfiguration(c.id);
    const second = await session.configurations.createConfiguration({ name: 'Participant vision two', provider: 'openai', settings: { model: 'gpt-4o', baseUrl: `${openai.url}/v1` }, apiKey: KEY });
    const textOnly = await session.configurations.createConfiguration({ name: 'Participant text three', provider: 'openai', settings: { model: 'gpt-3.5-turbo', baseUrl: `${openai.url}/v1` }, apiKey: KEY });
    try {
      const prompt = 'Compare: what colour is this pixel?';
      const sent = openai.requests.length;
      // The request as VS Code 1.139 hands it to the participant for "@models /compare <prompt>" with a pasted image.
      const pasted = { mimeType: 'image/png', data: () => Promise.resolve(Buffer.from(PNG_1X1, 'base64')) };
      const shown: string[] = [];
      const stream = { markdown: (text: string | vscode.MarkdownString) => { shown.push(typeof text === 'string' ? text : text.value); }, progress: () => undefined, button: () => undefined } as unknown as vscode.ChatResponseStream;
      const model = await until('the active configuration among the chat models', async () => (await vscode.lm.selectChatModels({ vendor: CHAT_VENDOR })).find((m) => m.id === `configuration:${work.id}`), CHAT_VIEW_MS);
      const request = { prompt, command: 'compare', references: [{ id: 'pasted', value: pasted, modelDescription: 'Pasted image' }], model, toolReferences: [], toolInvocationToken: undefined } as unknown as vscode.ChatRequest;
      const tokenSource = new vscode.CancellationTokenSource();
      const result = await answerModelsRequest(services, vscode.window.createOutputChannel('mm-compare-test', { log: true }), request, { history: [] }, stream, tokenSource.token);
      assert.equal(result.errorDetails, undefined, JSON.stringify(result.errorDetails));
      const asked = openai.requests.slice(sent).filter((r) => JSON.stringify(r.body).includes(prompt));
      assert.deepEqual(asked.map((r) => (r.body as { model: string }).model).sort(), ['gpt-4o', 'gpt-4o-mini']);
      for (const r of asked) {
        const last = (r.body as { messages: { role: string; content: unknown }[] }).messages.at(-1);
        assert.deepEqual(last?.content, [{ type: 'text', text: prompt }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_1X1}` } }], `${(r.body as { model: string }).model} got the image`);
      }
      const page = shown.join('');
      assert.match(page, /### Participant text three[\s\S]*takes no images/, 'the model without vision says so in its section');
    } finally {
      await session.configurations.deleteConfiguration(second.id);
      await session.configurations.deleteConfiguration(textOnly.id);
    }
  });
});
