import * as assert from 'node:assert/strict';
import * as z from 'zod/mini';
import type { HttpClient } from '../../../src/core/http';
import { createProvider } from '../../../src/core/providers/openai';
import { createProvider as createCompatible, CustomAPIConfig } from '../../../src/core/providers/openaiCompatible';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators';
import { collectChat, hello, rejectsWith, testClient } from './harness';
import { openaiSubject } from '../helpers/subjects';

/** Error events as OpenAI and compatible servers send them inside a 200 stream, and what each must be taken for. */
const cases = [
  { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' }, kind: 'auth', status: 401, hint: /Check the key/ },
  { error: { message: 'Invalid authentication', type: 'authentication_error' }, kind: 'auth', status: 401, hint: /Check the key/ },
  { error: { message: 'You do not have access to this model', type: 'permission_error' }, kind: 'forbidden', status: 403, hint: /permissions/ },
  { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' }, kind: 'rate-limited', status: 429, hint: /Retry/ },
  { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' }, kind: 'rate-limited', status: 429, hint: /plan and billing/ },
  { error: { message: "This model's maximum context length is 8192 tokens.", type: 'invalid_request_error', code: 'context_length_exceeded' }, kind: 'bad-request', status: 400, hint: /Check the parameters/ },
  // vLLM and LiteLLM put the HTTP status in `code`.
  { error: { message: 'max_tokens is too large', type: 'BadRequestError', code: 400 }, kind: 'bad-request', status: 400, hint: /Check the parameters/ },
  { error: { message: 'The server had an error while processing your request.', type: 'server_error' }, kind: 'server', status: 500, hint: /its side/ },
  { error: { message: 'something broke' }, kind: 'server', status: 500, hint: /its side/ },
] as const satisfies readonly { error: { message: string; type?: string; code?: string | number; param?: null }; kind: string; status: number; hint: RegExp }[];

function label(error: object): string {
  const { code, type } = error as { code?: unknown; type?: unknown };
  return JSON.stringify(code ?? type ?? 'none');
}

describe('an error event in the middle of an OpenAI stream', () => {
  let emulator: OpenAIEmulator;
  let http: HttpClient;

  beforeEach(async () => {
    emulator = await startOpenAIEmulator();
    http = testClient();
  });

  afterEach(async () => {
    await emulator.close();
    await http.close();
  });

  for (const c of cases) {
    it(`is classified by its code and type: ${label(c.error)} is ${c.kind} (${String(c.status)})`, async () => {
      const openai = createProvider({ http });
      emulator.inject({ path: /chat\/completions/, streamError: c.error });
      const error = await rejectsWith(collectChat(openai, openaiSubject.target(emulator), hello), c.kind);
      assert.equal(error.status, c.status);
      assert.match(error.hint, c.hint);
    });
  }

  it('is classified the same way by the OpenAI-compatible adapter', async () => {
    const compatible = createCompatible({ http });
    emulator.inject({ path: /chat\/completions/, streamError: cases[0].error });
    const config = z.parse(CustomAPIConfig, { baseUrl: `${emulator.url}/v1`, model: 'gpt-4.1-nano' });
    const error = await rejectsWith(collectChat(compatible, { config, apiKey: emulator.apiKey }, hello), 'auth');
    assert.equal(error.code, 'invalid_api_key');
  });
});
