import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { InMemoryKeySource } from '../../../src/core/crypto';
import { exportForGateway, importLiteLLMUserData } from '../../../src/core/gateways';
import { openSession, type StoreSession } from '../../../src/core/session';
import { capturingLogger, repoRoot, wasmPath } from '../store/helpers';
import { useTempFolder } from '../helpers/tempStore';
import { CANARY } from './fixtures';

async function session(folder: string, name: string): Promise<{ session: StoreSession; close: () => Promise<void> }> {
  const opened = await openSession({
    databasePath: join(folder, `${name}.sqlite`), wasmPath, catalogPath: join(repoRoot, 'dist', 'model-catalog.json'), logger: capturingLogger(),
    now: () => new Date('2026-12-03T12:00:00Z'), settings: { requestTimeoutSeconds: 60, usageRetentionDays: 90, healthCheckIntervalMinutes: 0 },
    keychain: new InMemoryKeySource(), passphraseKey: () => Promise.reject(new Error('no passphrase is set')),
  });
  if (!opened.ok) throw new Error(opened.problem.message);
  return { session: opened.session, close: () => opened.close() };
}

/** What a configuration is, keys and ids aside. */
function shapeOf(s: StoreSession): unknown[] {
  return s.configurations.listConfigurations().map((c) => ({ name: c.name, provider: c.provider, model: c.model, baseUrl: c.baseUrl, config: c.config })).sort((a, b) => a.name.localeCompare(b.name));
}

function groupsOf(s: StoreSession): unknown[] {
  const names = new Map(s.configurations.listConfigurations().map((c) => [c.id, c.name]));
  return s.routeGroups.list().map((g) => ({ name: g.name, strategy: g.strategy, members: g.members.map((m) => ({ name: names.get(m.configurationId), weight: m.weight ?? 1 })), cooldownFailures: g.settings.cooldownFailures ?? 3, cooldownSeconds: g.settings.cooldownSeconds ?? 30 })).sort((a, b) => a.name.localeCompare(b.name));
}

describe('LiteLLM export and import, round trip', () => {
  const folder = useTempFolder();

  it('gives back the same configurations and route groups, keys aside, and never reads a key from the environment', async () => {
    const source = await session(folder.path, 'source');
    const target = await session(folder.path, 'target');
    const previous = process.env.WORK_GPT_API_KEY;
    process.env.WORK_GPT_API_KEY = CANARY;
    try {
      const c = source.session.configurations;
      const gpt = await c.createConfiguration({ name: 'Work GPT', provider: 'openai', settings: { model: 'gpt-4o', temperature: 0.2, maxTokens: 1000, organization: 'org-team', inputPricePerMTok: 2.5, outputPricePerMTok: 10 }, apiKey: CANARY });
      const claude = await c.createConfiguration({ name: 'Claude', provider: 'anthropic', settings: { model: 'claude-sonnet-4-5', topK: 40 }, apiKey: CANARY });
      const gemini = await c.createConfiguration({ name: 'Gemini Flash', provider: 'gemini', settings: { model: 'gemini-2.5-flash', maxOutputTokens: 2048 }, apiKey: CANARY });
      const llama = await c.createConfiguration({ name: 'Local Llama', provider: 'ollama', settings: { model: 'llama3.2', baseUrl: 'http://127.0.0.1:11434', numCtx: 8192, keepAlive: '5m', seed: 7 } });
      const vllm = await c.createConfiguration({ name: 'Team vLLM', provider: 'openai-compatible', settings: { model: 'qwen3', baseUrl: 'http://10.0.0.5:8000/v1', headers: { 'X-Title': 'mm' }, extraParams: { top_k: 20 }, contextWindow: 32768, temperature: 0.7 }, keyLater: true });
      await source.session.routeGroups.create({ name: 'Reliable', strategy: 'fallback', members: [{ configurationId: gpt.id }, { configurationId: claude.id }, { configurationId: gemini.id }], settings: { cooldownFailures: 5, cooldownSeconds: 45 } });
      await source.session.routeGroups.create({ name: 'Spread', strategy: 'weighted-round-robin', members: [{ configurationId: llama.id, weight: 3 }, { configurationId: vllm.id, weight: 1 }], settings: { cooldownFailures: 5, cooldownSeconds: 45 } });
      const all = source.session.configurations.listConfigurations().map((x) => x.id);
      const exported = await exportForGateway(source.session, 'litellm', { configurationIds: all, groupIds: source.session.routeGroups.list().map((g) => g.id) });
      assert.ok(!exported.text.includes(CANARY), 'the export holds no key');

      const outcome = await importLiteLLMUserData(target.session, exported.text);
      assert.deepEqual([...outcome.rejected, ...outcome.failed], []);
      assert.deepEqual(shapeOf(target.session), shapeOf(source.session));
      assert.deepEqual(groupsOf(target.session), groupsOf(source.session));
      // Keys are asked for again: the environment variable the file names was set, and still no key came in.
      assert.ok(target.session.configurations.listConfigurations().every((x) => x.encryptedApiKey === null));
      assert.match(outcome.configurationNotes.get('Work GPT')?.join(' ') ?? '', /environment variable WORK_GPT_API_KEY\. Enter the key after import/);
    } finally {
      if (previous === undefined) delete process.env.WORK_GPT_API_KEY;
      else process.env.WORK_GPT_API_KEY = previous;
      await source.close();
      await target.close();
    }
  });
});
