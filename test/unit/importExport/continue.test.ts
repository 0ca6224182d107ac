import * as assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { importContinueConfig } from '../../../src/core/importExport/continueConfig';
import { ImportFileError, type ImportOptions, type ImportReport } from '../../../src/core/importExport/types';
import { CANARY, realProviders } from './setup';

const config = `
name: My Config
version: 1.0.0
schema: v1
models:
  - name: GPT
    provider: openai
    model: gpt-5
    apiKey: ${CANARY}
    roles: [chat, edit]
    defaultCompletionOptions:
      temperature: 0.5
      maxTokens: 2048
      stop: ["###"]
  - name: Claude
    provider: anthropic
    model: claude-sonnet-5
    apiBase: https://api.anthropic.com/v1/
    apiKey: \${{ secrets.ANTHROPIC_API_KEY }}
    defaultCompletionOptions:
      temperature: 0.7
      topK: 40
  - name: Local coder
    provider: ollama
    model: qwen2.5-coder:7b
    apiBase: http://localhost:11434
    roles: [autocomplete]
    defaultCompletionOptions:
      contextLength: 16384
  - name: Studio
    provider: lmstudio
    model: qwen/qwen3-coder-30b
    defaultCompletionOptions:
      contextLength: 32768
  - name: Groq
    provider: groq
    model: llama-3.3-70b-versatile
    requestOptions:
      headers:
        Authorization: Bearer ${CANARY}
        X-Title: my-app
  - name: Proxy
    provider: openai
    model: gpt-4o
    apiBase: https://llm.example.com/v1
  - name: Deep
    provider: deepseek
    model: deepseek-chat
  - name: Bedrock
    provider: bedrock
    model: anthropic.claude
  - name: Embedder
    provider: ollama
    model: nomic-embed-text
    roles: [embed]
  - uses: anthropic/claude-3-7-sonnet
  - name: Too hot
    provider: anthropic
    model: claude-sonnet-5
    defaultCompletionOptions:
      temperature: 1.5
`;

describe("importing Continue's config.yaml", () => {
  let providers: ReturnType<typeof realProviders>;
  let options: ImportOptions;
  let report: ImportReport;
  before(async () => {
    providers = realProviders(['groq']);
    options = providers.options;
    report = await importContinueConfig(config, options);
  });
  after(() => providers.close());

  const draft = (name: string) => report.imported.find((d) => d.name === name);

  it('maps OpenAI, Anthropic and Ollama models with their completion options onto our settings', () => {
    assert.deepEqual(draft('GPT')?.config, { model: 'gpt-5', temperature: 0.5, maxTokens: 2048, baseUrl: 'https://api.openai.com/v1' });
    assert.ok(draft('GPT')?.notes.includes("Continue's stop has no equivalent setting here and was left out."));
    assert.equal(draft('Claude')?.baseUrl, 'https://api.anthropic.com');
    assert.equal(draft('Claude')?.config.topK, 40);
    assert.equal(draft('Local coder')?.provider, 'ollama');
    assert.equal(draft('Local coder')?.config.numCtx, 16384);
    assert.ok(draft('Local coder')?.notes.includes('Continue used this model for autocomplete only.'));
  });

  it('maps LM Studio, Groq and an OpenAI apiBase elsewhere to OpenAI-compatible, with the matching preset', () => {
    assert.deepEqual([draft('Studio')?.provider, draft('Studio')?.config.preset, draft('Studio')?.baseUrl], ['openai-compatible', 'lmstudio', 'http://localhost:1234/v1']);
    const groq = draft('Groq (2)');
    assert.deepEqual([groq?.provider, groq?.config.preset, groq?.config.headers], ['openai-compatible', 'groq', { 'X-Title': 'my-app' }]);
    assert.deepEqual([draft('Proxy')?.provider, draft('Proxy')?.baseUrl], ['openai-compatible', 'https://llm.example.com/v1']);
  });

  it("maps contextLength to an OpenAI-compatible server's Context window, also from config.json's model-level field", async () => {
    assert.equal(draft('Studio')?.config.contextWindow, 32768);
    const legacy = await importContinueConfig(JSON.stringify({ models: [{ title: 'vLLM', provider: 'openai', model: 'llama', apiBase: 'http://127.0.0.1:8000/v1', contextLength: 65536 }] }), options);
    assert.equal(legacy.imported[0]?.config.contextWindow, 65536);
    assert.deepEqual(legacy.imported[0].notes.filter((n) => n.includes('contextLength')), []);
  });

  it('returns a literal key apart, for encryption, and turns a secrets reference into a note', () => {
    assert.equal(draft('GPT')?.apiKey?.reveal(), CANARY);
    assert.equal(draft('Groq (2)')?.apiKey?.reveal(), CANARY);
    assert.equal(draft('Claude')?.apiKey, undefined);
    assert.ok(draft('Claude')?.notes.includes('API key needed: config.yaml takes it from the secret ANTHROPIC_API_KEY. Enter the key after import.'));
    assert.ok(draft('GPT')?.notes.includes('The API key from config.yaml will be stored encrypted. Remove it from config.yaml afterwards.'));
  });

  it('never shows a key in the report, its JSON or its inspection (canary)', () => {
    const everything = `${JSON.stringify(report)}${inspect(report, { depth: 10 })}${String(draft('GPT')?.apiKey)}`;
    assert.ok(!everything.includes(CANARY));
  });

  it('rejects what it cannot import, each with a reason that says what to do', () => {
    const reasons = report.rejected.map((r) => r.reasons.join(' '));
    assert.deepEqual(report.rejected.map((r) => r.name), ['Deep', 'Bedrock', 'Embedder', 'uses anthropic/claude-3-7-sonnet', 'Too hot']);
    assert.match(reasons[0] ?? '', /"deepseek" provider has no preset here: add its apiBase/);
    assert.match(reasons[1] ?? '', /provider "bedrock" is not supported: Model Manager speaks OpenAI, Gemini, Anthropic, Ollama/);
    assert.match(reasons[2] ?? '', /uses it only to embed: Model Manager configures models to chat with/);
    assert.match(reasons[3] ?? '', /Continue Hub block.*copy its provider and model/);
    assert.equal(reasons[4], 'entry 11 ("Too hot"): temperature must be at most 1.');
  });
});

describe("importing Continue's older config.json and bad files", () => {
  let providers: ReturnType<typeof realProviders>;
  before(() => {
    providers = realProviders();
  });
  after(() => providers.close());

  it('reads config.json models by title with completionOptions', async () => {
    const report = await importContinueConfig(JSON.stringify({ models: [{ title: 'Llama', provider: 'ollama', model: 'llama3.2', completionOptions: { temperature: 0.3, maxTokens: 500 } }] }), providers.options);
    assert.deepEqual(report.imported.map((d) => [d.name, d.config.temperature, d.config.numPredict]), [['Llama', 0.3, 500]]);
  });

  it('says what is wrong with a file that is not YAML, has no models, is huge, or expands aliases without end', async () => {
    const isFileError = (pattern: RegExp) => (e: unknown) => e instanceof ImportFileError && pattern.test(e.message);
    await assert.rejects(importContinueConfig('models: [\n  - name: x', providers.options), isFileError(/not valid YAML or JSON.*Fix it in Continue/));
    await assert.rejects(importContinueConfig('name: x\n', providers.options), isFileError(/no "models" list/));
    await assert.rejects(importContinueConfig(`models: []\n#${'x'.repeat(2 * 1024 * 1024)}`, providers.options), isFileError(/a Continue config is at most 1 MB/));
    const laughs = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`), 'models: []'].join('\n');
    await assert.rejects(importContinueConfig(laughs, providers.options), ImportFileError);
  });

  it('refuses a prototype key in a model entry', async () => {
    const report = await importContinueConfig('models:\n  - name: P\n    provider: openai\n    model: gpt-5\n    __proto__:\n      polluted: true\n', providers.options);
    assert.equal(report.imported.length, 0);
    assert.match(report.rejected[0]?.reasons[0] ?? '', /"__proto__", which is not allowed/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
