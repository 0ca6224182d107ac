/** What gpt-tokenizer's maintained OpenAI model specs say about one model (the fields read here). */
export interface OpenAIModelSpec {
  readonly name: string;
  readonly modalities?: { readonly input?: readonly string[]; readonly output?: readonly string[] };
  readonly supported_features?: readonly string[];
  readonly supported_endpoints?: readonly string[];
  readonly context_window?: number;
}

let specs: Promise<Readonly<Record<string, OpenAIModelSpec | undefined>>> | undefined;

/**
 * The specs table, loaded on first use (64 KB). It is `models.gen`, not `models`: the package's CommonJS build of
 * `models` does not load (it spells `gpt-3.5-turbo` as an expression), and the tests run CommonJS.
 */
function table(): Promise<Readonly<Record<string, OpenAIModelSpec | undefined>>> {
  specs ??= import('gpt-tokenizer/models.gen').then((module) => module as unknown as Readonly<Record<string, OpenAIModelSpec | undefined>>);
  return specs;
}

/** An OpenAI id as a compatible server may prefix it (OpenRouter's "openai/gpt-4o"). */
export function openaiBaseId(id: string): string {
  return id.replace(/^openai\//i, '');
}

/** The spec of an OpenAI model id (dated ids included), or undefined for an id the package does not know. */
export async function openaiModelSpec(id: string): Promise<OpenAIModelSpec | undefined> {
  const all = await table();
  const spec = Object.hasOwn(all, openaiBaseId(id)) ? all[openaiBaseId(id)] : undefined;
  return spec && typeof spec === 'object' ? spec : undefined;
}

/** Whether the specs say the model reads images; undefined when they do not know the model. */
export async function openaiTakesImages(id: string): Promise<boolean | undefined> {
  const spec = await openaiModelSpec(id);
  if (!spec) return undefined;
  return (spec.modalities?.input ?? []).includes('image') || (spec.supported_features ?? []).includes('image_input');
}
