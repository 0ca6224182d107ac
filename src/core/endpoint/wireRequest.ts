import type { ChatMessage, ChatRequest, ChatTool } from '../providers';
import { normalizeHistory } from '../routing/convert';

/** A client's request, read from one of the APIs the local endpoint speaks into the one ChatRequest every adapter takes. */
export interface WireRequest {
  /** The model id the client asked for: a configuration's or route group's endpoint id. */
  readonly model: string;
  readonly request: ChatRequest;
  readonly stream: boolean;
  /** OpenAI only sends usage in a stream when asked (`stream_options.include_usage`). */
  readonly includeUsage: boolean;
}

/** Why a request cannot be served, said the way the client's API says it (the field at fault, when there is one). */
export interface WireRefusal {
  readonly message: string;
  readonly param?: string;
}

export type WireParse = { readonly ok: true; readonly value: WireRequest } | { readonly ok: false; readonly refusal: WireRefusal };

export function refuse(message: string, param?: string): WireParse {
  return { ok: false, refusal: param === undefined ? { message } : { message, param } };
}

export type Json = Record<string, unknown>;

export function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** A whole number within bounds, or undefined when absent; `false` when present but not one. */
export function boundedInt(value: unknown, min: number, max: number): number | undefined | false {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : false;
}

export function boundedNumber(value: unknown, min: number, max: number): number | undefined | false {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : false;
}

/** Tool names as every provider accepts them (OpenAI's rule, the strictest of the four). */
export const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** Bounds that keep one request from holding the endpoint: the body size limit is the server's, these are per field. */
export const LIMITS = { messages: 10_000, tools: 256, maxTokens: 1_000_000 } as const;

/** What a refused part says it is, for the message: its `type` when that is a string, else what JavaScript calls it. */
export function kindOf(type: unknown, part: unknown): string {
  return typeof type === 'string' ? type : typeof part;
}

/** The ChatRequest both APIs read into: the history with every tool result paired to its call, options only when given. */
export function chatRequest(messages: readonly ChatMessage[], options: { stream: boolean; tools: readonly ChatTool[]; maxTokens: number | undefined; temperature: number | undefined }): ChatRequest {
  const { stream, tools, maxTokens, temperature } = options;
  return {
    messages: normalizeHistory(messages),
    stream,
    ...(tools.length > 0 ? { tools } : {}),
    ...(maxTokens !== undefined ? { maxTokens } : {}),
    ...(temperature !== undefined ? { temperature } : {}),
  };
}
