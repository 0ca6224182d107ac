import * as z from 'zod/mini';
import type { AIProvider, ProviderDeps } from './types';

interface ProviderModule {
  createProvider(deps: ProviderDeps): object;
}

/** Every provider, by id. Adding one is its file plus one line here; each loads on first use. */
const modules: Record<string, () => Promise<ProviderModule>> = {
  openai: () => import('./openai'),
  gemini: () => import('./gemini'),
  ollama: () => import('./ollama'),
  anthropic: () => import('./anthropic'),
  'openai-compatible': () => import('./openaiCompatible'),
};

export const providerIds: readonly string[] = Object.keys(modules);

/** The message of a field the provider's schema does not have. */
export const UNKNOWN_SETTING = 'is not a setting of this provider';

/** A field-level problem with a configuration, for the form to show next to the field. */
export interface ConfigFieldError {
  /** Dotted path, e.g. "temperature" or "headers.X-Title". */
  readonly field: string;
  readonly message: string;
}

export type ParsedConfig = { readonly ok: true; readonly config: unknown } | { readonly ok: false; readonly errors: readonly ConfigFieldError[] };

export interface ProviderSummary {
  readonly id: string;
  readonly displayName: string;
  readonly apiKey: AIProvider['apiKey'];
}

/** The providers the composition root builds once, sharing one HttpClient. */
export class ProviderRegistry {
  private readonly loaded = new Map<string, Promise<AIProvider>>();

  constructor(private readonly deps: ProviderDeps) {}

  /** The adapter for an id; an unknown id is an error that names the known ones. */
  get(id: string): Promise<AIProvider> {
    let provider = this.loaded.get(id);
    if (!provider) {
      const load = modules[id];
      if (!load) return Promise.reject(new Error(`Unknown provider "${id}". Known providers: ${providerIds.join(', ')}.`));
      // The config type is erased here: callers hand in configurations that parseConfig validated against this schema.
      provider = load().then((m) => m.createProvider(this.deps) as AIProvider);
      this.loaded.set(id, provider);
    }
    return provider;
  }

  /** `providers.list`. */
  async list(): Promise<readonly ProviderSummary[]> {
    const all = await Promise.all(providerIds.map((id) => this.get(id)));
    return all.map((p) => ({ id: p.id, displayName: p.displayName, apiKey: p.apiKey }));
  }

  /** `providers.schema`: the configuration's JSON Schema (zod's own conversion), from which the form is built. */
  async schema(id: string): Promise<Record<string, unknown>> {
    const provider = await this.get(id);
    return z.toJSONSchema(provider.configSchema, { io: 'input' });
  }

  /** Validates a stored or submitted configuration, filling defaults; errors name their field. */
  async parseConfig(id: string, input: unknown): Promise<ParsedConfig> {
    const provider = await this.get(id);
    const result = z.safeParse(provider.configSchema, input);
    if (result.success) return { ok: true, config: result.data };
    return {
      ok: false,
      // An unknown setting is named on its own, so that a value is never silently lost and a form can say which.
      errors: result.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => ({ field: [...issue.path.map(String), key].join('.'), message: UNKNOWN_SETTING }))
          : [{ field: issue.path.map(String).join('.'), message: issue.message }],
      ),
    };
  }
}
