import * as assert from 'node:assert/strict';
import { ApiError, createPartFromFunctionResponse, GoogleGenAI, type Content, type Model } from '@google/genai';
import { startGeminiEmulator, type GeminiEmulator } from '../../emulators';

describe('the Gemini emulator, read by the official @google/genai SDK', () => {
  let emulator: GeminiEmulator;
  let ai: GoogleGenAI;

  before(async () => {
    emulator = await startGeminiEmulator();
    ai = new GoogleGenAI({ apiKey: emulator.apiKey, httpOptions: { baseUrl: emulator.url, timeout: 2_000 } });
  });
  after(() => emulator.close());
  afterEach(() => {
    emulator.use('basic');
  });

  it('lists models across pages', async () => {
    const models: Model[] = [];
    for await (const model of await ai.models.list({ config: { pageSize: 2 } })) models.push(model);
    assert.equal(models.length, 6);
    assert.equal(models.find((m) => m.name === 'models/gemini-2.5-flash')?.inputTokenLimit, 1048576);
    assert.ok(emulator.requests.every((r) => r.headers['x-goog-api-key'] === emulator.apiKey));
  });

  it('streams generateContent with alt=sse', async () => {
    let text = '';
    let last;
    for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'capital of Wyoming?' })) {
      text += chunk.text ?? '';
      last = chunk;
    }
    assert.equal(text, 'The capital of Wyoming is **Cheyenne**.\n');
    assert.equal(last?.usageMetadata?.candidatesTokenCount, 10);
    assert.equal(emulator.requests.at(-1)?.query.get('alt'), 'sse');
  });

  it('answers generateContent with implicit-cache usage', async () => {
    emulator.use('cached');
    const response = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
    assert.equal(response.usageMetadata?.cachedContentTokenCount, 11243);
    assert.match(response.text ?? '', /Red Riding Hood/);
  });

  it('counts tokens', async () => {
    const response = await ai.models.countTokens({ model: 'gemini-2.5-flash', contents: 'one two three' });
    assert.equal(response.totalTokens, 3);
  });

  it('raises ApiError 400 for a wrong key, with Google’s message', async () => {
    const wrong = new GoogleGenAI({ apiKey: 'AIzaWrong', httpOptions: { baseUrl: emulator.url } });
    await assert.rejects(wrong.models.generateContent({ model: 'gemini-2.0-flash', contents: 'hi' }), (e: unknown) => e instanceof ApiError && e.status === 400 && e.message.includes('API key not valid'));
  });

  it('raises ApiError 404 for an unknown model on a stream', async () => {
    await assert.rejects(async () => {
      for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-nope', contents: 'hi' })) assert.ok(chunk);
    }, (e: unknown) => e instanceof ApiError && e.status === 404);
  });

  it('raises ApiError 429 with the RetryInfo details', async () => {
    emulator.inject({ status: 429 });
    await assert.rejects(ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'hi' }), (e: unknown) => e instanceof ApiError && e.status === 429 && /RetryInfo|RESOURCE_EXHAUSTED|quota/.test(e.message));
  });

  it('on Gemini 3, refuses a function response whose call lost its thought signature, as the API does, and takes the call sent back whole', async () => {
    emulator.use('function-call-signed');
    const question: Content = { role: 'user', parts: [{ text: 'Check flight status for AA100.' }] };
    const first = await ai.models.generateContent({ model: 'gemini-3-pro-preview', contents: [question] });
    const call = first.candidates?.[0]?.content;
    assert.ok(call?.parts?.[0]?.thoughtSignature, 'the function call part is signed');
    const response: Content = { role: 'user', parts: [createPartFromFunctionResponse('', 'check_flight', { status: 'delayed' })] };
    emulator.use('basic');
    const unsigned: Content = { role: 'model', parts: (call.parts ?? []).flatMap((p) => (p.functionCall ? [{ functionCall: p.functionCall }] : [])) };
    await assert.rejects(ai.models.generateContent({ model: 'gemini-3-pro-preview', contents: [question, unsigned, response] }), (e: unknown) => e instanceof ApiError && e.status === 400 && e.message.includes('Function call is missing a thought_signature in functionCall parts'));
    const answer = await ai.models.generateContent({ model: 'gemini-3-pro-preview', contents: [question, call, response] });
    assert.ok(answer.text);
  });
});
