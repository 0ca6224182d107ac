import * as specs from 'gpt-tokenizer/models.gen';

/** What gpt-tokenizer's maintained copy of OpenAI's model pages says a model is served on and can do. */
interface ModelSpec {
  readonly supported_endpoints?: readonly string[];
  readonly reasoning_tokens?: boolean;
}

const byId = specs as unknown as Readonly<Record<string, ModelSpec | undefined>>;

/** A model's spec by its id, a dated id (gpt-5-pro-2025-10-06) falling back to its alias. */
export function openaiModelSpec(model: string): ModelSpec | undefined {
  const id = model.trim().toLowerCase();
  return Object.hasOwn(byId, id) ? byId[id] : Object.hasOwn(byId, id.replace(/-\d{4}-\d{2}-\d{2}$/, '')) ? byId[id.replace(/-\d{4}-\d{2}-\d{2}$/, '')] : undefined;
}

/** Served on the Responses API but not on Chat Completions (o3-pro, gpt-5.1-codex, ...). */
export function isResponsesOnly(model: string): boolean {
  const endpoints = openaiModelSpec(model)?.supported_endpoints;
  return endpoints !== undefined && endpoints.includes('responses') && !endpoints.includes('chat_completions');
}
