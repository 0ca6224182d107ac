import { compatiblePresets } from '../providers/presets';

export type ContinueTarget =
  | { readonly kind: 'native'; readonly provider: 'openai' | 'gemini' | 'anthropic' | 'ollama' }
  | { readonly kind: 'preset'; readonly preset: string; readonly baseUrl: string }
  | { readonly kind: 'compatible' }
  | { readonly kind: 'unsupported' };

const native = new Set(['openai', 'gemini', 'anthropic', 'ollama']);

/** Continue providers that speak OpenAI's Chat Completions but have no preset here: imported when apiBase is given. */
const compatible = new Set(['llama.cpp', 'llamafile', 'deepseek', 'mistral', 'xai', 'fireworks', 'deepinfra', 'cerebras', 'nvidia', 'sambanova', 'nebius', 'novita', 'moonshot', 'siliconflow', 'msty', 'docker']);

/** Continue's provider names (docs.continue.dev "models" reference) to ours. */
export function continueTarget(provider: string): ContinueTarget {
  const id = provider.trim().toLowerCase();
  if (native.has(id)) return { kind: 'native', provider: id as 'openai' | 'gemini' | 'anthropic' | 'ollama' };
  const preset = compatiblePresets.find((p) => p.id === id);
  if (preset) return { kind: 'preset', preset: preset.id, baseUrl: preset.baseUrl };
  return compatible.has(id) ? { kind: 'compatible' } : { kind: 'unsupported' };
}

/** Where each of our providers puts Continue's defaultCompletionOptions. */
export const optionFields: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  openai: { temperature: 'temperature', topP: 'topP', maxTokens: 'maxTokens', frequencyPenalty: 'frequencyPenalty', presencePenalty: 'presencePenalty' },
  gemini: { temperature: 'temperature', topP: 'topP', topK: 'topK', maxTokens: 'maxOutputTokens' },
  anthropic: { temperature: 'temperature', topP: 'topP', topK: 'topK', maxTokens: 'maxTokens' },
  // Continue sends contextLength to Ollama as num_ctx.
  ollama: { temperature: 'temperature', topP: 'topP', topK: 'topK', maxTokens: 'numPredict', contextLength: 'numCtx' },
  // A server of one's own states its window nowhere else: the chat picker and the router size prompts by it.
  'openai-compatible': { temperature: 'temperature', topP: 'topP', maxTokens: 'maxTokens', contextLength: 'contextWindow' },
};

/** Continue's contextLength only tells it how much to send; our cloud providers know their window, so it is dropped quietly. */
export const quietlyDropped = new Set(['contextLength']);
