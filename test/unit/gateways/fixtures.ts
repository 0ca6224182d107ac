import type { AIConfiguration, RouteGroup } from '../../../src/core/store/types';
import { CANARY } from '../importExport/setup';

export { CANARY };

/** A configuration as the store holds it; a sealed key stands in for one that is set. */
export function configuration(name: string, provider: string, config: Record<string, unknown>, fields: Partial<AIConfiguration> = {}): AIConfiguration {
  const model = typeof config.model === 'string' ? config.model : 'm';
  const baseUrl = typeof config.baseUrl === 'string' ? config.baseUrl : null;
  return {
    id: `id-${name}`, userId: 'user-42', name, provider, model, baseUrl, encryptedApiKey: null, config, isActive: true,
    createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', lastTestedAt: null, testStatus: null, ...fields,
  };
}

export function group(name: string, strategy: RouteGroup['strategy'], members: RouteGroup['members'], settings: RouteGroup['settings'] = {}): RouteGroup {
  return { id: `g-${name}`, userId: 'user-42', name, strategy, members, settings, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' };
}

const sealed = `v1:${Buffer.from(CANARY).toString('base64')}`;

/** One configuration of each provider, a key sealed for the paid ones, a credential header and a priced local server. */
export function team(): AIConfiguration[] {
  return [
    configuration('Work GPT', 'openai', { model: 'gpt-4o', baseUrl: 'https://api.openai.com/v1', temperature: 0.2, maxTokens: 1000, organization: 'org-team', inputPricePerMTok: 2.5, outputPricePerMTok: 10 }, { encryptedApiKey: sealed }),
    configuration('Claude', 'anthropic', { model: 'claude-sonnet-4-5', baseUrl: 'https://api.anthropic.com', maxTokens: 8192, anthropicVersion: '2023-06-01', topK: 40 }, { encryptedApiKey: sealed }),
    configuration('Gemini Flash', 'gemini', { model: 'gemini-2.5-flash', baseUrl: 'https://generativelanguage.googleapis.com/v1beta', maxOutputTokens: 2048 }, { encryptedApiKey: sealed }),
    configuration('Local Llama', 'ollama', { model: 'llama3.2', baseUrl: 'http://127.0.0.1:11434', numCtx: 8192, keepAlive: '5m' }),
    configuration('Team vLLM', 'openai-compatible', { model: 'qwen3', baseUrl: `https://team:${CANARY}@vllm.example/v1`, preset: 'vllm', headers: { 'X-Title': 'mm', Authorization: '(stored encrypted)' }, extraParams: { top_k: 20 }, contextWindow: 32768 }, { encryptedApiKey: sealed, encryptedHeaders: sealed }),
  ];
}
