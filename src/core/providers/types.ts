import type * as z from 'zod/mini';
import type { HttpClient } from '../http';
import type { Logger } from '../logger';
import type { ProviderErrorKind } from './errors';

/** A stored configuration's settings plus its decrypted key: everything an adapter needs for one call. */
export interface ProviderTarget<C> {
  readonly config: C;
  /** Decrypted just before the call; adapters never log it, store it or put it in an error. */
  readonly apiKey?: string | undefined;
}

export interface ChatToolCall {
  readonly id: string;
  readonly name: string;
  /** The arguments as the JSON text the model produced. */
  readonly arguments: string;
}

/** An image sent with a user message: what every provider's image part is built from. */
export interface ChatImage {
  /** image/png, image/jpeg, image/gif or image/webp (see images.ts for what each provider takes). */
  readonly mimeType: string;
  /** The image's bytes in base64, without a data: prefix. */
  readonly data: string;
}

/**
 * Reasoning a provider requires back, unchanged, with the assistant turn that made tool calls, or it refuses the
 * next request of the tool loop: Anthropic's thinking and redacted_thinking blocks (signed), Gemini's thought
 * signatures. Only the adapter that made it reads it; another provider's (after a fallback) is not sent.
 */
export interface ReasoningReplay {
  readonly provider: string;
  /**
   * Anthropic: the thinking and redacted_thinking blocks as they came, in order. Gemini: one entry per signed part,
   * `{ functionCall: <call id> | undefined, thoughtSignature }` (a text part's signature has no call id).
   */
  readonly blocks: readonly Readonly<Record<string, unknown>>[];
}

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant' | 'tool';
  readonly content: string;
  /** On an assistant message: the reasoning its provider wants back with it (see ReasoningReplay). */
  readonly replay?: ReasoningReplay;
  /** On a user message: images sent with the text (only to a model that takes images). */
  readonly images?: readonly ChatImage[];
  /** On an assistant message: the calls it made. */
  readonly toolCalls?: readonly ChatToolCall[];
  /** On a tool message: which call this is the result of, and that tool's name. */
  readonly toolCallId?: string;
  readonly toolName?: string;
}

export interface ChatTool {
  readonly name: string;
  readonly description?: string;
  /** JSON Schema of the arguments. */
  readonly parameters: Readonly<Record<string, unknown>>;
}

export interface ChatRequest {
  readonly messages: readonly ChatMessage[];
  /** Overrides the configuration's model for this call. */
  readonly model?: string;
  /** Streamed unless `false`; both ways yield the same events. */
  readonly stream?: boolean;
  readonly tools?: readonly ChatTool[];
  readonly maxTokens?: number;
  readonly temperature?: number;
}

/** Token counts of one call, the same way for every provider. */
export interface Usage {
  /** Every prompt token, cached ones included. */
  readonly input: number;
  /** Every billed output token, reasoning ("thinking") included. */
  readonly output: number;
  /** Prompt tokens served from the provider's cache (a part of `input`). */
  readonly cached: number;
  /** Output tokens spent on reasoning (a part of `output`), when the provider says. */
  readonly reasoning?: number;
  /** Prompt tokens written to the provider's cache (a part of `input`; Anthropic bills them above the input price). */
  readonly cacheWrite?: number;
}

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'other';

export type ChatEvent =
  | { readonly type: 'text'; readonly text: string }
  /** The model's reasoning (or its summary) as it streams, before or between the answer's text. */
  | { readonly type: 'reasoning'; readonly text: string }
  | { readonly type: 'tool-call'; readonly call: ChatToolCall }
  /** Once per answer, before its usage: what to send back with this assistant turn (see ReasoningReplay). */
  | { readonly type: 'replay'; readonly replay: ReasoningReplay }
  | { readonly type: 'usage'; readonly usage: Usage }
  | { readonly type: 'finish'; readonly reason: FinishReason; readonly providerReason: string };

export interface ModelInfo {
  readonly id: string;
  readonly displayName?: string;
  /** Input token limit (context window). */
  readonly contextWindow?: number;
  readonly maxOutputTokens?: number;
  readonly ownedBy?: string;
  /** What the server says the model can do (Ollama's /api/show: completion, tools, vision, embedding, ...). */
  readonly capabilities?: readonly string[];
  /** What the model takes, where the list says (OpenRouter's architecture.input_modalities, Anthropic's capabilities.image_input). */
  readonly inputModalities?: readonly string[];
  /** What the model answers with, where the list says (OpenRouter's architecture.output_modalities). */
  readonly outputModalities?: readonly string[];
  /** Bytes on disk, where the server says (Ollama's /api/tags). */
  readonly sizeBytes?: number;
}

export interface TestFailure {
  readonly kind: ProviderErrorKind;
  readonly status?: number;
  /** The provider's own error code (invalid_api_key, RESOURCE_EXHAUSTED, not_found_error, ...). */
  readonly code?: string;
  /** The provider's own message, keys redacted. */
  readonly message: string;
  readonly retryAfterMs?: number;
}

/** What a connection test found, step by step, and what to do about a failure. */
export interface TestResult {
  readonly ok: boolean;
  readonly reachable: boolean;
  readonly authenticated: boolean;
  /** Undefined when the model could not be checked (no list, or an earlier step failed). */
  readonly modelFound: boolean | undefined;
  /** Undefined when not tried. */
  readonly streaming: boolean | undefined;
  readonly latencyMs: number;
  readonly failure?: TestFailure;
  /** One plain sentence: "401 invalid_api_key: check the key or its project." */
  readonly hint: string;
  /** What the streamed one-token reply cost, when the provider said (it bills the test like any request). */
  readonly usage?: Usage;
}

export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
  /** `false` sends once: a connection test reports the first 429 instead of waiting it out. */
  readonly retry?: boolean | undefined;
  /** Told of each response's headers (the router passes the last ones of an attempt to the usage tracker). */
  readonly onHeaders?: ((headers: Readonly<Record<string, string | string[] | undefined>>) => void) | undefined;
}

export interface ListOptions extends CallOptions {
  /** Skip the cache. */
  readonly refresh?: boolean;
  /**
   * `false`: only the list call itself, no per-model detail requests (Ollama's /api/show) and no cache; health checks
   * use it to stay one cheap request.
   */
  readonly details?: boolean;
}

export interface TestOptions extends CallOptions {
  /** Also stream a one-token reply (costs a request; on by default). */
  readonly checkStreaming?: boolean;
  /** How long to keep reading the reply for its usage after the first token (default USAGE_GRACE_MS). */
  readonly usageGraceMs?: number;
  /** The whole test, every request of it included, ends within this (a clear timeout failure); default none. */
  readonly deadlineMs?: number;
}

export interface PullProgress {
  readonly status: string;
  /** Bytes across every layer seen so far. */
  readonly completed: number;
  readonly total: number;
}

export interface OllamaModelDetails {
  readonly contextLength: number | undefined;
  readonly family: string | undefined;
  readonly parameterSize: string | undefined;
  readonly quantization: string | undefined;
  readonly capabilities: readonly string[];
  /** The licence text the model ships with (often long; its first line names it). */
  readonly license: string | undefined;
  /** When the model was last pulled or changed on the server (ISO time, as the server wrote it). */
  readonly modifiedAt: string | undefined;
}

/** Whether a provider needs a key: the form shows the key field from this. */
export type KeyRequirement = 'required' | 'optional' | 'none';

/** One provider adapter. Stateless apart from its model cache: every call names its target. */
export interface AIProvider<C = unknown> {
  readonly id: string;
  readonly displayName: string;
  readonly configSchema: z.ZodMiniType<C>;
  readonly apiKey: KeyRequirement;
  testConnection(target: ProviderTarget<C>, options?: TestOptions): Promise<TestResult>;
  listModels(target: ProviderTarget<C>, options?: ListOptions): Promise<readonly ModelInfo[]>;
  chat(target: ProviderTarget<C>, request: ChatRequest, options?: CallOptions): AsyncIterable<ChatEvent>;
  countTokens?(target: ProviderTarget<C>, request: ChatRequest, options?: CallOptions): Promise<number>;
  pullModel?(target: ProviderTarget<C>, model: string, options?: CallOptions): AsyncIterable<PullProgress>;
  deleteModel?(target: ProviderTarget<C>, model: string, options?: CallOptions): Promise<void>;
  showModel?(target: ProviderTarget<C>, model: string, options?: CallOptions): Promise<OllamaModelDetails>;
}

/** What every adapter is built from: the composition root passes the one HttpClient. */
export interface ProviderDeps {
  readonly http: HttpClient;
  readonly logger?: Logger;
  /** How long a model list stays fresh. */
  readonly modelsTtlMs?: number;
  /** Clock for the cache (tests). */
  readonly now?: () => number;
}
