import type { KeyRequirement } from './types';

/** A known OpenAI-compatible server: what the form fills in when the user picks it. */
export interface CompatiblePreset {
  readonly id: string;
  readonly displayName: string;
  readonly baseUrl: string;
  readonly apiKey: KeyRequirement;
  /** Where the user gets a key or starts the server. */
  readonly docs: string;
}

export const compatiblePresets = [
  { id: 'lmstudio', displayName: 'LM Studio', baseUrl: 'http://localhost:1234/v1', apiKey: 'none', docs: 'https://lmstudio.ai/docs/app/api/endpoints/openai' },
  { id: 'vllm', displayName: 'vLLM', baseUrl: 'http://localhost:8000/v1', apiKey: 'optional', docs: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html' },
  { id: 'llamacpp', displayName: 'llama.cpp server', baseUrl: 'http://localhost:8080/v1', apiKey: 'optional', docs: 'https://github.com/ggml-org/llama.cpp/tree/master/tools/server' },
  // Team gateways: LiteLLM takes a virtual key as Authorization: Bearer (the API key); Portkey takes its config in an x-portkey-config header.
  { id: 'litellm', displayName: 'LiteLLM Proxy', baseUrl: 'http://localhost:4000/v1', apiKey: 'optional', docs: 'https://docs.litellm.ai/docs/proxy/virtual_keys' },
  { id: 'portkey', displayName: 'Portkey Gateway', baseUrl: 'http://localhost:8787/v1', apiKey: 'optional', docs: 'https://portkey.ai/docs/product/ai-gateway/configs' },
  { id: 'openrouter', displayName: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', apiKey: 'required', docs: 'https://openrouter.ai/docs/quickstart' },
  { id: 'groq', displayName: 'Groq', baseUrl: 'https://api.groq.com/openai/v1', apiKey: 'required', docs: 'https://console.groq.com/docs/openai' },
  { id: 'together', displayName: 'Together AI', baseUrl: 'https://api.together.xyz/v1', apiKey: 'required', docs: 'https://docs.together.ai/docs/openai-api-compatibility' },
] as const satisfies readonly CompatiblePreset[];

export type CompatiblePresetId = (typeof compatiblePresets)[number]['id'];
