import type * as z from 'zod/mini';
import { chatEvents, mapErrors, secretsOf } from './call';
import { runConnectionTest } from './connectionTest';
import type { ErrorContext, ProviderErrorInfo } from './errors';
import { SecretHider } from './hideSecrets';
import { ModelCache } from './modelCache';
import type { AIProvider, CallOptions, ChatEvent, ChatRequest, KeyRequirement, ModelInfo, OllamaModelDetails, ProviderDeps, ProviderTarget, PullProgress } from './types';

/** Every provider's settings carry at least where the server is and which model to use. */
interface BaseConfig {
  readonly baseUrl: string;
  readonly model: string;
}

/**
 * One adapter's protocol: its settings, how its errors read, and its own calls. Each call gets the error context for
 * its target and model; defineProvider builds the rest (model-list cache, connection test, error mapping) the same
 * way for every provider.
 */
export interface ProviderProtocol<C extends BaseConfig> {
  readonly id: string;
  readonly displayName: string;
  readonly configSchema: z.ZodMiniType<C>;
  readonly apiKey: KeyRequirement;
  /** How errors name the provider: "OpenAI", or the server a compatible configuration points at. */
  readonly errorName: string | ((target: ProviderTarget<C>) => string);
  /** The provider's error body as `{ code, message, kind? }`. */
  readonly extract: (body: unknown) => ProviderErrorInfo;
  /** Values besides the key that no error may show (credential-carrying headers). */
  readonly secrets?: (target: ProviderTarget<C>) => readonly string[];
  /** How long a model list stays fresh unless ProviderDeps says otherwise; default five minutes. */
  readonly modelsTtlMs?: number;
  /** A server that may have no model list (the test goes on to the chat without one). */
  readonly listOptional?: boolean;
  /**
   * The list makes a request per model for its details: `details: false` asks for the list call alone, which is
   * never cached (health checks stay one cheap request).
   */
  readonly listDetails?: boolean;
  readonly listModels: (target: ProviderTarget<C>, options: CallOptions & { readonly details?: boolean }, context: ErrorContext) => Promise<readonly ModelInfo[]>;
  /** The chat's events; errors are mapped to ProviderErrors around it. */
  readonly chat: (target: ProviderTarget<C>, request: ChatRequest, options: CallOptions, context: ErrorContext) => AsyncIterable<ChatEvent>;
  readonly countTokens?: (target: ProviderTarget<C>, request: ChatRequest, options: CallOptions, context: ErrorContext) => Promise<number>;
  readonly pullModel?: (target: ProviderTarget<C>, model: string, options: CallOptions, context: ErrorContext) => AsyncIterable<PullProgress>;
  readonly deleteModel?: (target: ProviderTarget<C>, model: string, options: CallOptions, context: ErrorContext) => Promise<void>;
  readonly showModel?: (target: ProviderTarget<C>, model: string, options: CallOptions, context: ErrorContext) => Promise<OllamaModelDetails>;
}

/** An AIProvider around a protocol: the cache, the error context, the connection test, the model list and the chat. */
export function defineProvider<C extends BaseConfig>(deps: ProviderDeps, protocol: ProviderProtocol<C>): AIProvider<C> {
  const cache = new ModelCache(deps.modelsTtlMs ?? protocol.modelsTtlMs ?? 300_000, deps.now);
  const context = (target: ProviderTarget<C>, model?: string): ErrorContext => ({
    provider: typeof protocol.errorName === 'string' ? protocol.errorName : protocol.errorName(target),
    secrets: [...secretsOf(target.apiKey), ...(protocol.secrets?.(target) ?? [])],
    model: model ?? target.config.model,
    extract: protocol.extract,
  });
  const { countTokens, pullModel, deleteModel, showModel } = protocol;
  const provider: AIProvider<C> = {
    id: protocol.id,
    displayName: protocol.displayName,
    configSchema: protocol.configSchema,
    apiKey: protocol.apiKey,
    testConnection: (target, options) => runConnectionTest(provider, target, { model: target.config.model, ...(protocol.listOptional ? { listOptional: true } : {}) }, options),
    listModels: (target, options = {}) => {
      const ctx = context(target);
      // A model list is shown and served on: a key the server put in a model's id or name is hidden there too.
      const hidden = (models: readonly ModelInfo[]): readonly ModelInfo[] => new SecretHider(ctx.secrets).models(models);
      return protocol.listDetails && options.details === false
        ? protocol.listModels(target, { retry: options.retry, signal: options.signal, onHeaders: options.onHeaders, details: false }, ctx).then(hidden)
        // The shared fetch is not given one caller's signal: that caller giving up must not cancel it for the others.
        : cache.get(ModelCache.key(target.config.baseUrl, target.apiKey), () => protocol.listModels(target, { retry: options.retry, onHeaders: options.onHeaders }, ctx).then(hidden), options);
    },
    chat: (target, request, options = {}) => chatEvents(protocol.chat(target, request, options, context(target, request.model)), context(target, request.model)),
    ...(countTokens ? { countTokens: (target, request, options = {}) => countTokens(target, request, options, context(target, request.model)) } : {}),
    ...(pullModel
      ? {
          pullModel: (target, model, options = {}) => {
            cache.clear();
            const ctx = context(target, model);
            const hider = new SecretHider(ctx.secrets);
            return mapErrors(pullProgress(pullModel(target, model, options, ctx), hider), ctx);
          },
        }
      : {}),
    ...(deleteModel
      ? {
          deleteModel: async (target, model, options = {}) => {
            await deleteModel(target, model, options, context(target, model));
            cache.clear();
          },
        }
      : {}),
    ...(showModel
      ? {
          showModel: (target, model, options = {}) => {
            const ctx = context(target, model);
            return showModel(target, model, options, ctx).then((details) => new SecretHider(ctx.secrets).details(details));
          },
        }
      : {}),
  };
  return provider;
}

/** Pull progress as the user sees it: a status line the server wrote, with the key hidden if it echoed it. */
async function* pullProgress(events: AsyncIterable<PullProgress>, hider: SecretHider): AsyncGenerator<PullProgress, void, undefined> {
  for await (const event of events) yield hider.active ? { ...event, status: hider.hide(event.status) } : event;
}
