import { compatiblePresets } from './presets';

/** Each provider's name as its adapter gives it (a unit test keeps the two equal), known without loading the adapter. */
const names: Readonly<Record<string, string>> = {
  openai: 'OpenAI',
  gemini: 'Google Gemini',
  ollama: 'Ollama',
  anthropic: 'Anthropic',
  'openai-compatible': 'OpenAI-compatible API',
};

/**
 * The provider as the user knows it, for tables, legends, hovers and pickers: "Groq" for the Groq preset of the
 * OpenAI-compatible provider, "OpenAI" for `openai`; an id this version does not know is shown as it is.
 */
export function providerDisplayName(provider: string, preset?: unknown): string {
  if (provider === 'openai-compatible' && typeof preset === 'string') {
    const known = compatiblePresets.find((p) => p.id === preset);
    if (known) return known.displayName;
  }
  // Own keys only: an id such as "constructor" must not find Object's prototype.
  return Object.hasOwn(names, provider) ? (names[provider] ?? provider) : provider;
}
