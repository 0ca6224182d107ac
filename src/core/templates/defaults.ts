/** The settings a built-in template starts from, per provider; each value sits inside that provider's schema range. */
export const defaultConfigs: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  // 1 is OpenAI's default and the only temperature its reasoning models accept.
  openai: { temperature: 1 },
  // Google recommends keeping Gemini 3 models at their default temperature of 1.
  gemini: { temperature: 1 },
  // The Messages API needs max_tokens on every call; 8,192 fits every current Claude model's output limit.
  anthropic: { maxTokens: 8192, temperature: 1 },
  // Ollama's own default temperature, with a context larger than its 4,096-token default so code fits.
  ollama: { temperature: 0.8, numCtx: 8192, keepAlive: '5m' },
  'openai-compatible': { temperature: 0.7 },
};
