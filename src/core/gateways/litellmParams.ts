/**
 * Our settings and LiteLLM's names for them, per provider: one table read both ways, so what the export writes the
 * import reads back. Prices are per million tokens here and per token in LiteLLM.
 */
export const litellmParamNames: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  openai: { temperature: 'temperature', topP: 'top_p', frequencyPenalty: 'frequency_penalty', presencePenalty: 'presence_penalty', maxTokens: 'max_tokens', organization: 'organization' },
  anthropic: { temperature: 'temperature', topP: 'top_p', topK: 'top_k', maxTokens: 'max_tokens' },
  gemini: { temperature: 'temperature', topP: 'top_p', topK: 'top_k', maxOutputTokens: 'max_tokens', safetySettings: 'safety_settings' },
  ollama: { temperature: 'temperature', topP: 'top_p', topK: 'top_k', numPredict: 'max_tokens', numCtx: 'num_ctx', repeatPenalty: 'repeat_penalty', seed: 'seed', keepAlive: 'keep_alive' },
  'openai-compatible': { temperature: 'temperature', topP: 'top_p', maxTokens: 'max_tokens', headers: 'extra_headers', extraParams: 'extra_body' },
};

/** Custom prices, which LiteLLM takes per token in litellm_params. */
export const litellmPriceNames: Readonly<Record<string, string>> = {
  inputPricePerMTok: 'input_cost_per_token',
  outputPricePerMTok: 'output_cost_per_token',
  cachedInputPricePerMTok: 'cache_read_input_token_cost',
};

/** LiteLLM's model prefix for each provider; an OpenAI-compatible server is "openai/" with its own api_base. */
export const litellmPrefix: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'gemini',
  ollama: 'ollama_chat',
  'openai-compatible': 'openai',
};

/** The provider's own address: an api_base equal to it is left out of the export and means the native provider on import. */
export const defaultBaseUrls: Readonly<Record<string, string>> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com/v1beta',
};

/** Our strategies and LiteLLM's routing_strategy names (one for the whole proxy). */
export const litellmStrategies = {
  'weighted-round-robin': 'simple-shuffle',
  'least-busy': 'least-busy',
  'lowest-latency': 'latency-based-routing',
  'lowest-cost': 'cost-based-routing',
} as const;

export const PER_MILLION = 1_000_000;
