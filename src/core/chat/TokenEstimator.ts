import { charsPerToken, requestChars } from '../routing';
import type { ChatRequest, Usage } from '../providers';

/** Calibrations outside this range are a provider's odd usage report (a cached prompt, a refusal), not its tokenizer. */
const MIN_CHARS_PER_TOKEN = 1;
const MAX_CHARS_PER_TOKEN = 12;

/**
 * Token counts without a network request: VS Code asks for one count per message, many times per prompt, so a
 * provider's count endpoint (Anthropic, Gemini) would cost a round trip each. The count is the characters divided by
 * the model's characters per token, which starts at the stated ~4 and is calibrated per model from the input tokens
 * the provider reports for each answered request (a tokenizer's ratio for one language and style barely drifts).
 */
export class TokenEstimator {
  private readonly seen = new Map<string, { chars: number; tokens: number }>();

  /** Tokens in `text` for `model` (any stable key: a configuration or route group id). */
  count(model: string, text: string): number {
    return Math.ceil(text.length / this.charsPerToken(model));
  }

  charsPerToken(model: string): number {
    const totals = this.seen.get(model);
    return totals ? totals.chars / totals.tokens : charsPerToken;
  }

  /** Learns from a request the provider answered: the characters sent against the input tokens it reported. */
  learn(model: string, request: ChatRequest, usage: Usage): void {
    const chars = requestChars(request);
    if (!(usage.input > 0) || chars <= 0) return;
    const ratio = chars / usage.input;
    // Written so that NaN fails too: one NaN in the totals would make every later count NaN.
    if (!(ratio >= MIN_CHARS_PER_TOKEN && ratio <= MAX_CHARS_PER_TOKEN)) return;
    const totals = this.seen.get(model) ?? { chars: 0, tokens: 0 };
    this.seen.set(model, { chars: totals.chars + chars, tokens: totals.tokens + usage.input });
  }
}
