import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { exportLiteLLMConfig, exportPortkeyConfig } from '../../../src/core/gateways';
import { CANARY, configuration, group, team } from './fixtures';

const now = new Date('2026-12-03T12:00:00Z');

function byName(list: { model_name: string }[], name: string): { model_name: string; litellm_params: Record<string, unknown>; model_info?: Record<string, unknown> }[] {
  return list.filter((d) => d.model_name === name) as never;
}

describe('exporting for LiteLLM Proxy', () => {
  it('writes one deployment per configuration with the provider-prefixed model, api_base and LiteLLM\'s names for its settings', async () => {
    const all = team();
    const out = await exportLiteLLMConfig({ configurations: all, groups: [], allConfigurations: all, now });
    const doc = parse(out.text) as { model_list: { model_name: string; litellm_params: Record<string, unknown> }[]; router_settings: Record<string, unknown> };
    assert.deepEqual(byName(doc.model_list, 'Work GPT')[0]?.litellm_params, { model: 'openai/gpt-4o', api_key: 'os.environ/WORK_GPT_API_KEY', temperature: 0.2, max_tokens: 1000, organization: 'org-team', input_cost_per_token: 2.5e-6, output_cost_per_token: 1e-5 });
    assert.deepEqual(byName(doc.model_list, 'Claude')[0]?.litellm_params, { model: 'anthropic/claude-sonnet-4-5', api_key: 'os.environ/CLAUDE_API_KEY', max_tokens: 8192, top_k: 40 });
    assert.deepEqual(byName(doc.model_list, 'Gemini Flash')[0]?.litellm_params, { model: 'gemini/gemini-2.5-flash', api_key: 'os.environ/GEMINI_FLASH_API_KEY', max_tokens: 2048 });
    assert.deepEqual(byName(doc.model_list, 'Local Llama')[0]?.litellm_params, { model: 'ollama_chat/llama3.2', api_base: 'http://127.0.0.1:11434', num_ctx: 8192, keep_alive: '5m' });
    const vllm = byName(doc.model_list, 'Team vLLM')[0];
    assert.deepEqual(vllm?.litellm_params, { model: 'openai/qwen3', api_base: 'https://vllm.example/v1', api_key: 'os.environ/TEAM_VLLM_API_KEY', extra_headers: { 'X-Title': 'mm' }, extra_body: { top_k: 20 } });
    assert.deepEqual(vllm.model_info, { max_input_tokens: 32768 });
    assert.deepEqual(out.variables.map((v) => v.name), ['WORK_GPT_API_KEY', 'CLAUDE_API_KEY', 'GEMINI_FLASH_API_KEY', 'TEAM_VLLM_API_KEY']);
    assert.equal(doc.router_settings.num_retries, 3);
    // The header counts what it wrote, each count agreeing with its noun.
    assert.match(out.text, /: 5 configurations, 0 route groups\.\n/);
    const one = await exportLiteLLMConfig({ configurations: all.slice(0, 1), groups: [], allConfigurations: all, now });
    assert.match(one.text, /: 1 configuration, 0 route groups\.\n/);
  });

  it('never writes a key, a sealed key, a credential header or an address\'s password (canary), and lists what it left out at the top', async () => {
    const all = team();
    const out = await exportLiteLLMConfig({ configurations: all, groups: [], allConfigurations: all, now });
    for (const secret of [CANARY, Buffer.from(CANARY).toString('base64'), 'stored encrypted', 'user-42']) assert.ok(!out.text.includes(secret), `the export contains ${secret}`);
    const top = out.text.split('\n').filter((l) => l.startsWith('#')).join('\n');
    assert.match(top, /WORK_GPT_API_KEY {2}\(the key of "Work GPT"\)/);
    assert.match(top, /"Team vLLM": headers\.Authorization carries a credential/);
    assert.match(top, /"Team vLLM": baseUrl \(user info\) carries a credential/);
    assert.match(top, /"Team vLLM": preset "vllm" only fills in/);
    assert.ok(out.notCarried.every((n) => top.includes(n)), 'every sentence of notCarried is in the file');
  });

  it('never writes a key that sits inside a list of the extra parameters (canary), for LiteLLM or Portkey, and says it was left out', async () => {
    const hidden = configuration('Listed key', 'openai-compatible', { model: 'm', baseUrl: 'https://llm.example/v1', extraParams: { plugins: [{ id: 'web', api_key: CANARY }, [`Bearer ${CANARY}`], CANARY], top_k: 5 } });
    const litellm = await exportLiteLLMConfig({ configurations: [hidden], groups: [], allConfigurations: [hidden], now });
    const portkey = exportPortkeyConfig({ configurations: [hidden], groups: [], allConfigurations: [hidden], now });
    for (const text of [litellm.text, portkey.text]) assert.ok(!text.includes(CANARY.slice(4, 20)), `the export contains the key: ${text}`);
    const doc = parse(litellm.text) as { model_list: { litellm_params: Record<string, unknown> }[] };
    assert.deepEqual(doc.model_list[0]?.litellm_params.extra_body, { plugins: [{ id: 'web' }, []], top_k: 5 }, 'what is not a key is kept');
    assert.ok(litellm.notCarried.some((n) => n.includes('extraParams.plugins.0.api_key')), litellm.notCarried.join('\n'));
  });

  it('keeps every setting it names in the comment at the top on its comment line: a line break of YAML 1.1 (NEL, LS, PS, CR) in a value cannot start a line LiteLLM reads', async () => {
    // LiteLLM reads its config with PyYAML (YAML 1.1), where U+0085 ends a comment; this parser (YAML 1.2) does not.
    const injected = '\u0085general_settings: {master_key: sk-1234}\u0085#';
    const hostile = configuration('Shared GPT', 'openai', { model: 'gpt-4o', baseUrl: 'https://api.openai.com/v1', stop: [injected, 'a\u2028b: 1', 'c\rd: 2'], jsonSchema: '{"title": "\u2029x: 1"}' });
    const out = await exportLiteLLMConfig({ configurations: [hostile], groups: [], allConfigurations: [hostile], now });
    const top = out.text.slice(0, out.text.indexOf('model_list:'));
    assert.match(top, /"Shared GPT": stop/);
    const breaks = (top.match(/[\r\u0085\u2028\u2029]/gu) ?? []).map((c) => `U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    assert.deepEqual(breaks, [], 'no YAML 1.1 line break inside the comment');
    assert.ok(top.split('\n').every((line) => line === '' || line.startsWith('#')), top);
  });

  it('writes route groups as LiteLLM routing: a fallback group as its first member plus fallbacks, a weighted one as deployments sharing its name with weights', async () => {
    const all = team();
    const groups = [
      group('Reliable', 'fallback', [{ configurationId: 'id-Work GPT' }, { configurationId: 'id-Claude' }, { configurationId: 'id-Gemini Flash' }], { cooldownFailures: 5, cooldownSeconds: 45 }),
      group('Spread', 'weighted-round-robin', [{ configurationId: 'id-Work GPT', weight: 3 }, { configurationId: 'id-Local Llama', weight: 1 }]),
    ];
    const out = await exportLiteLLMConfig({ configurations: [], groups, allConfigurations: all, now });
    const doc = parse(out.text) as { model_list: { model_name: string; litellm_params: Record<string, unknown> }[]; router_settings: Record<string, unknown> };
    assert.deepEqual(doc.model_list.map((d) => d.model_name), ['Work GPT', 'Claude', 'Gemini Flash', 'Local Llama', 'Reliable', 'Spread', 'Spread']);
    assert.equal(byName(doc.model_list, 'Reliable')[0]?.litellm_params.model, 'openai/gpt-4o');
    assert.deepEqual(byName(doc.model_list, 'Spread').map((d) => [d.litellm_params.model, d.litellm_params.weight]), [['openai/gpt-4o', 3], ['ollama_chat/llama3.2', 1]]);
    assert.deepEqual(doc.router_settings, { num_retries: 3, routing_strategy: 'simple-shuffle', allowed_fails: 5, cooldown_time: 45, fallbacks: [{ Reliable: ['Claude', 'Gemini Flash'] }] });
    assert.match(out.text, /Route group "Spread" cools a member down after 3 failures for 30 s; LiteLLM's cooldown is one for the whole proxy, taken from "Reliable"/);
  });

  it('sets the routing_strategy of a least-busy, lowest-latency or lowest-cost group, and says so when groups want different ones', async () => {
    const all = team();
    const groups = [
      group('Fast', 'lowest-latency', [{ configurationId: 'id-Work GPT' }, { configurationId: 'id-Claude' }]),
      group('Cheap', 'lowest-cost', [{ configurationId: 'id-Gemini Flash' }, { configurationId: 'id-Claude' }]),
    ];
    const out = await exportLiteLLMConfig({ configurations: [], groups, allConfigurations: all, now });
    const doc = parse(out.text) as { router_settings: Record<string, unknown> };
    assert.equal(doc.router_settings.routing_strategy, 'latency-based-routing');
    assert.match(out.text, /# +- Route group "Cheap" uses lowest cost, but LiteLLM has one routing_strategy for the whole proxy: this file sets latency-based-routing \(from "Fast"\)\./);
    const single = await exportLiteLLMConfig({ configurations: [], groups: [group('Idle', 'least-busy', [{ configurationId: 'id-Claude' }])], allConfigurations: all, now });
    assert.equal((parse(single.text) as { router_settings: Record<string, unknown> }).router_settings.routing_strategy, 'least-busy');
  });
});

describe('exporting for Portkey Gateway', () => {
  it('writes one configuration as a target with provider, placeholder key, custom_host and override_params', () => {
    const all = team();
    const pick = (name: string) => JSON.parse(exportPortkeyConfig({ configurations: all.filter((c) => c.name === name), groups: [], allConfigurations: all, now }).text) as Record<string, unknown>;
    assert.deepEqual(pick('Work GPT'), { provider: 'openai', api_key: '<WORK_GPT_API_KEY>', override_params: { model: 'gpt-4o', temperature: 0.2, max_tokens: 1000 }, retry: { attempts: 3, on_status_codes: [429, 500, 502, 503, 504] } });
    assert.deepEqual(pick('Local Llama').custom_host, 'http://127.0.0.1:11434');
    assert.deepEqual(pick('Local Llama').provider, 'ollama');
    assert.deepEqual(pick('Gemini Flash').provider, 'google');
    assert.deepEqual(pick('Team vLLM'), { provider: 'openai', api_key: '<TEAM_VLLM_API_KEY>', custom_host: 'https://vllm.example/v1', override_params: { model: 'qwen3' }, retry: { attempts: 3, on_status_codes: [429, 500, 502, 503, 504] } });
  });

  it('writes a fallback group as strategy fallback with on_status_codes and a weighted one as loadbalance with weights; several picks are routed by the request\'s model', () => {
    const all = team();
    const groups = [
      group('Reliable', 'fallback', [{ configurationId: 'id-Work GPT' }, { configurationId: 'id-Claude' }], { fallbackOnAuthError: true }),
      group('Spread', 'weighted-round-robin', [{ configurationId: 'id-Work GPT', weight: 3 }, { configurationId: 'id-Local Llama', weight: 1 }]),
    ];
    const out = exportPortkeyConfig({ configurations: [], groups, allConfigurations: all, now });
    const config = JSON.parse(out.text) as { strategy: { mode: string; conditions: unknown[]; default: string }; targets: Record<string, unknown>[] };
    assert.equal(config.strategy.mode, 'conditional');
    assert.deepEqual(config.strategy.conditions, [{ query: { 'params.model': { $eq: 'Reliable' } }, then: 'Reliable' }, { query: { 'params.model': { $eq: 'Spread' } }, then: 'Spread' }]);
    const [reliable, spread] = config.targets;
    assert.deepEqual(reliable?.strategy, { mode: 'fallback', on_status_codes: [401, 403, 429, 500, 502, 503, 504] });
    assert.deepEqual((reliable.targets as Record<string, unknown>[]).map((t) => t.provider), ['openai', 'anthropic']);
    assert.deepEqual(spread?.strategy, { mode: 'loadbalance' });
    assert.deepEqual((spread.targets as Record<string, unknown>[]).map((t) => t.weight), [3, 1]);
    assert.ok(out.notCarried.some((n) => n.includes('Portkey\'s open-source gateway has no cooldown')));
  });

  it('never writes a key or a credential header (canary)', () => {
    const all = [...team(), configuration('Leaky', 'openai-compatible', { model: 'x', baseUrl: 'https://h.example/v1', headers: { 'X-Api-Key': CANARY } })];
    const out = exportPortkeyConfig({ configurations: all, groups: [group('G', 'least-busy', [{ configurationId: 'id-Leaky' }])], allConfigurations: all, now });
    for (const secret of [CANARY, Buffer.from(CANARY).toString('base64'), 'stored encrypted']) assert.ok(!out.text.includes(secret), `the export contains ${secret}`);
    assert.ok(out.notCarried.some((n) => n.includes('"Leaky": headers.X-Api-Key carries a credential')));
    assert.ok(out.notCarried.some((n) => n.includes('"G" picks the least busy member; Portkey\'s open-source gateway has no such mode')));
  });
});
