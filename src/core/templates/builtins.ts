import type { ModelCatalog } from '../catalog/ModelCatalog';
import { compatiblePresets } from '../providers/presets';
import type { NewTemplate } from '../store/TemplateRepository';
import { defaultConfigs } from './defaults';
import { describeModel, tokens } from './describe';
import { currentChatModels } from './select';

/** A built-in template: its id is stable (builtin:<provider>:<model or preset>) so seeding updates it in place. */
export type BuiltinTemplate = NewTemplate & { readonly id: string; readonly isBuiltin: true };

/** Cloud providers whose templates come from the catalog. */
const cloudProviders = ['openai', 'gemini', 'anthropic'] as const;

/**
 * Popular models of Ollama's library (ollama.com/library): no package lists them, and a template needs a name to pull.
 * Each is small enough for a laptop.
 */
const ollamaModels = [
  { model: 'llama3.2', name: 'Llama 3.2 (Ollama)', about: "Meta's 3B general chat model" },
  { model: 'qwen2.5-coder', name: 'Qwen2.5 Coder (Ollama)', about: "Alibaba's 7B coding model" },
  { model: 'qwen3', name: 'Qwen3 (Ollama)', about: "Alibaba's 8B model with optional thinking" },
  { model: 'gemma3', name: 'Gemma 3 (Ollama)', about: "Google's 4B open model, text and images" },
] as const;

function config(provider: string, extra: Readonly<Record<string, unknown>> = {}): Readonly<Record<string, unknown>> {
  return { ...defaultConfigs[provider], ...extra };
}

function cloudTemplates(catalog: ModelCatalog, perProvider: number): BuiltinTemplate[] {
  return cloudProviders.flatMap((provider) =>
    currentChatModels(catalog, provider, perProvider).map((model) => ({
      id: `builtin:${provider}:${model.id}`,
      provider,
      name: model.displayName,
      model: model.id,
      description: describeModel(model),
      config: config(provider),
      isBuiltin: true as const,
    })),
  );
}

function ollamaTemplates(): BuiltinTemplate[] {
  return ollamaModels.map((m) => ({
    id: `builtin:ollama:${m.model}`,
    provider: 'ollama',
    name: m.name,
    model: m.model,
    description: `${m.about}, run locally by Ollama: no per-token cost. Pull it first (ollama pull ${m.model}); the context is set to ${tokens.format(Number(defaultConfigs.ollama?.numCtx))} tokens.`,
    config: config('ollama'),
    isBuiltin: true as const,
  }));
}

function presetTemplates(): BuiltinTemplate[] {
  return compatiblePresets.map((preset) => ({
    id: `builtin:openai-compatible:${preset.id}`,
    provider: 'openai-compatible',
    name: preset.displayName,
    // The server decides what it serves: the user picks from its model list.
    model: '',
    description: `${preset.displayName} at ${preset.baseUrl} (OpenAI-compatible; API key ${preset.apiKey === 'none' ? 'not needed' : preset.apiKey}). Choose a model after creating it.`,
    config: config('openai-compatible', { preset: preset.id, baseUrl: preset.baseUrl }),
    isBuiltin: true as const,
  }));
}

export interface BuiltinOptions {
  /** How many current models per cloud provider (default 5). */
  readonly perProvider?: number;
}

/** Every built-in template: current chat models of OpenAI, Gemini and Anthropic, local Ollama models, OpenAI-compatible servers. */
export function builtinTemplates(catalog: ModelCatalog, options: BuiltinOptions = {}): BuiltinTemplate[] {
  return [...cloudTemplates(catalog, options.perProvider ?? 5), ...ollamaTemplates(), ...presetTemplates()];
}
