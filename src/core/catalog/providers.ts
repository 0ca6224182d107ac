/** Where a configuration's prices come from: a catalog provider, or nowhere because the model runs locally. */
export type PriceOrigin = { readonly kind: 'catalog'; readonly id: string } | { readonly kind: 'local' };

/** Our provider ids and the OpenAI-compatible preset ids, by the price package's provider id. */
const catalogIds: Readonly<Record<string, string>> = {
  openai: 'openai',
  gemini: 'google',
  google: 'google',
  anthropic: 'anthropic',
  groq: 'groq',
  openrouter: 'openrouter',
  together: 'together',
};

/**
 * Known local runtimes: no per-token charge (a per-configuration price override can still set one). Any other
 * server on a loopback address may be a gateway forwarding to a paid provider, so it is not free by its address.
 */
const localIds = new Set(['ollama', 'lmstudio', 'vllm', 'llamacpp']);

export interface OriginOptions {
  /** The OpenAI-compatible preset (lmstudio, vllm, openrouter, groq, together). */
  readonly preset?: string | undefined;
  /** Used for an OpenAI-compatible endpoint without a preset: matched against each catalog provider's API URL. */
  readonly baseUrl?: string | null | undefined;
}

export interface ProviderPatterns {
  readonly id: string;
  readonly apiPattern: string;
}

/** Resolves our provider id (plus preset or base URL for "openai-compatible") to where its prices live. */
export function priceOrigin(provider: string, options: OriginOptions, known: readonly ProviderPatterns[]): PriceOrigin | undefined {
  const id = provider === 'openai-compatible' ? options.preset : provider;
  if (id !== undefined && localIds.has(id)) return { kind: 'local' };
  const direct = id === undefined ? undefined : (catalogIds[id] ?? known.find((p) => p.id === id)?.id);
  if (direct !== undefined) return { kind: 'catalog', id: direct };
  if (provider !== 'openai-compatible' || !options.baseUrl) return undefined;
  const base = options.baseUrl;
  const byUrl = known.find((p) => safeTest(p.apiPattern, base));
  return byUrl ? { kind: 'catalog', id: byUrl.id } : undefined;
}

function safeTest(pattern: string, url: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})`).test(url);
  } catch {
    return false;
  }
}
