import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { exportLiteLLMConfig, exportPortkeyConfig } from '../../../src/core/gateways';
import { repoRoot } from '../store/helpers';
import { group, team } from './fixtures';

const dir = join(repoRoot, 'test', 'fixtures', 'gateways');
const now = new Date('2026-12-03T12:00:00Z');

/** Every path of keys in a value ("router_settings.fallbacks"), list items as "[]"; maps keyed by user names ("fallbacks[].*") stop at the name. */
function paths(value: unknown, at = '', out = new Set<string>(), free: readonly string[] = []): Set<string> {
  if (Array.isArray(value)) for (const item of value) paths(item, `${at}[]`, out, free);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const here = free.includes(at) ? `${at}.*` : at === '' ? key : `${at}.${key}`;
      out.add(here);
      paths(inner, here, out, free);
    }
  }
  return out;
}

/** Our settings written under LiteLLM's completion parameter names: named on its input reference, not in the config examples. */
const LITELLM_COMPLETION_PARAMS = ['temperature', 'top_p', 'top_k', 'max_tokens', 'frequency_penalty', 'presence_penalty', 'organization', 'seed', 'num_ctx', 'keep_alive', 'repeat_penalty', 'safety_settings', 'extra_headers', 'extra_body', 'input_cost_per_token', 'output_cost_per_token', 'cache_read_input_token_cost', 'weight'];
const PORTKEY_OVERRIDE_PARAMS = ['temperature', 'top_p', 'top_k', 'max_tokens', 'frequency_penalty', 'presence_penalty', 'seed'];

describe('the gateway exports follow the engines\' documented examples', () => {
  it('LiteLLM: every key the export writes is a key of the documented config.yaml examples, or a completion parameter inside litellm_params', async () => {
    const documented = new Set<string>();
    for (const file of ['litellm-proxy-configs.yaml', 'litellm-reliability-fallbacks.yaml', 'litellm-router-configuration.yaml', 'litellm-config-schema.yaml']) {
      for (const p of paths(parse(readFileSync(join(dir, file), 'utf8')), '', new Set(), ['router_settings.fallbacks[]', 'litellm_settings.fallbacks[]'])) documented.add(p);
    }
    const all = team();
    const groups = [group('Reliable', 'fallback', [{ configurationId: 'id-Work GPT' }, { configurationId: 'id-Claude' }]), group('Spread', 'weighted-round-robin', [{ configurationId: 'id-Local Llama', weight: 2 }, { configurationId: 'id-Team vLLM' }])];
    const out = await exportLiteLLMConfig({ configurations: all, groups, allConfigurations: all, now });
    const written = paths(parse(out.text), '', new Set(), ['router_settings.fallbacks[]']);
    const extra = [...written].filter((p) => !documented.has(p) && !LITELLM_COMPLETION_PARAMS.some((n) => p === `model_list[].litellm_params.${n}` || p.startsWith(`model_list[].litellm_params.${n}.`)));
    assert.deepEqual(extra, ['model_list[].model_info.max_input_tokens']);
  });

  it('Portkey: the keys of a fallback, a loadbalance and a single-target export are the documented ones', () => {
    const documented = new Set<string>();
    for (const file of ['portkey-fallback.json', 'portkey-loadbalance.json', 'portkey-retry.json', 'portkey-ollama.json']) {
      for (const p of paths(JSON.parse(readFileSync(join(dir, file), 'utf8')))) documented.add(p.replace(/^targets\[\]\./, ''));
    }
    const all = team();
    for (const groups of [[group('Reliable', 'fallback', [{ configurationId: 'id-Work GPT' }, { configurationId: 'id-Local Llama' }])], [group('Spread', 'weighted-round-robin', [{ configurationId: 'id-Local Llama', weight: 2 }, { configurationId: 'id-Team vLLM' }])]]) {
      const out = exportPortkeyConfig({ configurations: [], groups, allConfigurations: all, now });
      const written = [...paths(JSON.parse(out.text))].map((p) => p.replace(/^targets\[\]\./, ''));
      const extra = written.filter((p) => !documented.has(p) && !PORTKEY_OVERRIDE_PARAMS.some((n) => p === `override_params.${n}`));
      assert.deepEqual(extra, [], out.text);
    }
  });
});
