import type { Logger } from '../logger';
import { str } from './call';
import { KEPT_REASONING_CHARS } from './replaySize';
import type { ChatMessage, ChatRequest, ReasoningReplay } from './types';

/**
 * Gemini's thought signatures (https://ai.google.dev/gemini-api/docs/thought-signatures): a thinking model signs the
 * parts of its turn (the first functionCall of each step, sometimes a text part), and every functionCall part of the
 * current turn must go back with its signature, or Gemini 3 refuses the request (400 "Function call is missing a
 * thought_signature").
 */
export const GEMINI = 'gemini';

/**
 * The documented stand-in for a signature that was not kept (a history from another model, VS Code's chat after a
 * reload): it skips the check, at some cost to the model's reasoning over the earlier steps.
 */
export const SKIP_SIGNATURE = 'skip_thought_signature_validator';

/** The signed parts of one answer, in order: a function call's id, or none for a text part. */
export class SignedParts {
  private readonly signed: Record<string, unknown>[] = [];
  private chars = 0;
  /** Past KEPT_REASONING_CHARS (an endless stream of signed parts): nothing is kept, and Gemini 3 gets the stand-in. */
  private overflowed = false;

  add(part: Record<string, unknown> | undefined, callId: string | undefined): void {
    const signature = str(part?.thoughtSignature);
    if (signature === undefined || signature === '' || this.overflowed) return;
    this.chars += signature.length + (callId?.length ?? 0);
    if (this.chars > KEPT_REASONING_CHARS) {
      this.overflowed = true;
      this.signed.length = 0;
      return;
    }
    this.signed.push(callId === undefined ? { thoughtSignature: signature } : { functionCall: callId, thoughtSignature: signature });
  }

  replay(): ReasoningReplay | undefined {
    return this.signed.length === 0 ? undefined : { provider: GEMINI, blocks: [...this.signed] };
  }
}

/** Gemini 3 and later check signatures; 2.x models sign but do not require them back. */
export function checksSignatures(model: string): boolean {
  const major = /^gemini-(\d+)/.exec(model.replace(/^models\//, ''))?.[1];
  return major !== undefined && Number(major) >= 3;
}

/**
 * The signature each part of an assistant turn goes back with: its own, or for the first call of a turn of the current
 * exchange that lost them, the documented stand-in (said once in the log).
 */
export function signaturesOf(request: ChatRequest, model: string, logger?: Logger): (message: ChatMessage) => { call: (id: string, index: number) => string | undefined; text: string | undefined } {
  // The current turn starts at the newest user message; only its function calls are checked.
  const current = request.messages.findLastIndex((m) => m.role === 'user');
  let told = false;
  return (message) => {
    const own = message.replay?.provider === GEMINI ? message.replay.blocks : [];
    const byCall = new Map(own.flatMap((b) => (typeof b.functionCall === 'string' && typeof b.thoughtSignature === 'string' ? [[b.functionCall, b.thoughtSignature] as const] : [])));
    const text = own.find((b) => b.functionCall === undefined && typeof b.thoughtSignature === 'string')?.thoughtSignature as string | undefined;
    const lost = own.length === 0 && (message.toolCalls?.length ?? 0) > 0 && request.messages.indexOf(message) > current && checksSignatures(model);
    if (lost && !told) {
      told = true;
      logger?.info(`Gemini: the thought signatures of the tool calls this request answers (${(message.toolCalls ?? []).map((c) => c.name).join(', ')}) were not kept; they are sent with the documented stand-in, so ${model} reasons without its earlier thoughts.`);
    }
    return { call: (id, index) => byCall.get(id) ?? (lost && index === 0 ? SKIP_SIGNATURE : undefined), text };
  };
}
