import type { AIConfiguration } from '../store/types';

/** Providers that cannot answer without a key: their export always names a variable for it. */
const KEY_REQUIRED = new Set(['openai', 'anthropic', 'gemini']);

/** One environment variable the gateway reads a configuration's key from. */
export interface KeyVariable {
  readonly name: string;
  /** The configuration whose key it holds, as the user knows it. */
  readonly configuration: string;
}

export function needsKey(configuration: Pick<AIConfiguration, 'provider' | 'encryptedApiKey'>): boolean {
  return KEY_REQUIRED.has(configuration.provider) || configuration.encryptedApiKey !== null;
}

/** "OpenAI GPT-4o" → OPENAI_GPT_4O_API_KEY: a shell-safe name the user can recognise. */
function baseName(configurationName: string, index: number): string {
  const slug = configurationName.normalize('NFKD').toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 48);
  if (slug === '') return `MODEL_${String(index + 1)}_API_KEY`;
  return /^\d/.test(slug) ? `KEY_${slug}_API_KEY` : `${slug}_API_KEY`;
}

/** A distinct variable name for each configuration that needs a key, keyed by configuration id. */
export function keyVariables(configurations: readonly AIConfiguration[]): Map<string, KeyVariable> {
  const taken = new Set<string>();
  const result = new Map<string, KeyVariable>();
  for (const [index, c] of configurations.entries()) {
    if (!needsKey(c)) continue;
    const base = baseName(c.name, index);
    let name = base;
    for (let n = 2; taken.has(name); n += 1) name = `${base.replace(/_API_KEY$/, '')}_${String(n)}_API_KEY`;
    taken.add(name);
    result.set(c.id, { name, configuration: c.name });
  }
  return result;
}
