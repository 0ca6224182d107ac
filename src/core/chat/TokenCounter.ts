import type { ChatRequest, Usage } from '../providers';
import { openaiModelSpec } from '../providers/openaiSpecs';

/** Whose tokens a count is in: a configuration's provider and model (describeModels gives each chat model one). */
export interface TokenModel {
  readonly provider: string;
  readonly model: string;
}

/**
 * The only encoding shipped: o200k's ranks add 1.1 MB to the VSIX, cl100k's would add 0.44 MB more for the GPT-4 and
 * GPT-3.5 generation alone, which are therefore estimated like the other providers' models.
 */
export type ShippedEncoding = 'o200k_base';

interface Encoder {
  countTokens(text: string): number;
}

/** Loaded on first use and kept: o200k's ranks take about half a second to parse, so never during activation. */
const loaders: Readonly<Record<ShippedEncoding, () => Promise<Encoder>>> = {
  o200k_base: () => import('gpt-tokenizer/encoding/o200k_base'),
};

/**
 * Other providers' tokens per o200k token before any answer has calibrated them: Claude's and Llama's tokenizers
 * split English and code into somewhat more pieces than o200k, Gemini's about as many (ai-tokenizer's published
 * multipliers: Claude ×1.1, Gemini ×1.08). Rounded up, since a count too low makes VS Code overfill the window.
 */
export const SEED_RATIO: Readonly<Record<string, number>> = { anthropic: 1.15, gemini: 1.1, ollama: 1.1, openai: 1.1, 'openai-compatible': 1.1 };
const DEFAULT_RATIO = 1.15;
/** A calibration outside this range is a provider's odd usage report (a cached prompt, a refusal), not its tokenizer. */
const MIN_RATIO = 0.5;
const MAX_RATIO = 3;

/**
 * What an image costs in prompt tokens, at most, per provider's vision guide: OpenAI 765 (a 1024² image at high
 * detail), Anthropic ~1,600 (an image at its 1.15-megapixel resize limit), Gemini 1,120 (Gemini 3's default
 * resolution), Ollama 768 (a typical projector). The image's own size is not read: an upper figure keeps VS Code
 * from overfilling the window.
 */
export const IMAGE_TOKENS: Readonly<Record<string, number>> = { openai: 765, 'openai-compatible': 765, anthropic: 1600, gemini: 1120, ollama: 768 };

/** Entries and characters the cache holds at most (about 8 MB of text). */
export const CACHE_ENTRIES = 4096;
export const CACHE_CHARS = 4_000_000;

/**
 * Token counts without a network request (VS Code asks once per message, many times per prompt). OpenAI models and
 * OpenAI-compatible ids that gpt-tokenizer's specs know are counted exactly with their encoding; every other model
 * is its o200k count times a ratio, seeded per provider and calibrated per chat model from the input tokens the
 * provider reports for each answered request. Counts are cached by the text itself (a Map hashes the string), in a
 * bounded least-recently-used cache.
 */
export class TokenCounter {
  private readonly encoders = new Map<ShippedEncoding, Promise<Encoder>>();
  private readonly ready = new Map<ShippedEncoding, Encoder>();
  private readonly exact = new Map<string, Promise<ShippedEncoding | undefined>>();
  private readonly cache = new Map<string, number>();
  private cachedChars = 0;
  private readonly calibrated = new Map<string, { base: number; reported: number }>();

  /** Tokens of `text` for a chat model (`key`: its stable id, which calibration is kept under). */
  async count(key: string, model: TokenModel | undefined, text: string): Promise<number> {
    const encoding = model ? await this.exactEncoding(model) : undefined;
    const base = await this.baseCount(encoding ?? 'o200k_base', text);
    return encoding ? base : Math.ceil(base * this.ratio(key, model));
  }

  /** Tokens of images in a message, at the provider's upper figure. */
  imageTokens(model: TokenModel | undefined, images: number): number {
    return images * (IMAGE_TOKENS[model?.provider ?? ''] ?? 1600);
  }

  /** The current tokens-per-o200k-token ratio of a model counted by estimate. */
  ratio(key: string, model: TokenModel | undefined): number {
    const seen = this.calibrated.get(key);
    return seen ? seen.reported / seen.base : (SEED_RATIO[model?.provider ?? ''] ?? DEFAULT_RATIO);
  }

  /** Whether `model` is counted exactly, and with which encoding. */
  async exactEncoding(model: TokenModel): Promise<ShippedEncoding | undefined> {
    if (model.provider !== 'openai' && model.provider !== 'openai-compatible') return undefined;
    const key = `${model.provider}\0${model.model}`;
    let found = this.exact.get(key);
    if (!found) {
      found = encodingOf(model.model).catch(() => undefined);
      this.exact.set(key, found);
    }
    return found;
  }

  /**
   * Learns from a request the provider answered: its reported input tokens against the o200k count of what was sent
   * (text, tool calls and tool schemas). Exact models need no calibration; a request with images is skipped, since
   * their tokens are not text.
   */
  async learn(key: string, model: TokenModel | undefined, request: ChatRequest, usage: Usage): Promise<void> {
    if (model && (await this.exactEncoding(model))) return;
    if (!(usage.input > 0) || request.messages.some((m) => (m.images?.length ?? 0) > 0)) return;
    let base = 0;
    for (const message of request.messages) {
      base += await this.baseCount('o200k_base', message.content);
      for (const call of message.toolCalls ?? []) base += await this.baseCount('o200k_base', call.name + call.arguments);
    }
    for (const tool of request.tools ?? []) base += await this.baseCount('o200k_base', tool.name + (tool.description ?? '') + JSON.stringify(tool.parameters));
    if (base <= 0) return;
    const ratio = usage.input / base;
    // Written so that NaN fails too: one NaN in the totals would make every later count NaN.
    if (!(ratio >= MIN_RATIO && ratio <= MAX_RATIO)) return;
    const seen = this.calibrated.get(key) ?? { base: 0, reported: 0 };
    this.calibrated.set(key, { base: seen.base + base, reported: seen.reported + usage.input });
  }

  /** The encoding's count of `text`, from the cache when it was counted before. */
  private async baseCount(encoding: ShippedEncoding, text: string): Promise<number> {
    if (text === '') return 0;
    // One encoding shipped: the text itself is the key.
    const key = text;
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      // Moved to the newest end: a Map iterates in insertion order, so the first key is the least recently used.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const encoder = this.ready.get(encoding) ?? (await this.load(encoding));
    const tokens = countInRuns(encoder, text);
    if (key.length <= CACHE_CHARS / 4) this.remember(key, tokens);
    return tokens;
  }

  private remember(key: string, tokens: number): void {
    this.cache.set(key, tokens);
    this.cachedChars += key.length;
    while (this.cache.size > CACHE_ENTRIES || this.cachedChars > CACHE_CHARS) {
      const oldest = this.cache.keys().next();
      if (oldest.done === true) break;
      this.cache.delete(oldest.value);
      this.cachedChars -= oldest.value.length;
    }
  }

  private async load(encoding: ShippedEncoding): Promise<Encoder> {
    let loading = this.encoders.get(encoding);
    if (!loading) {
      loading = loaders[encoding]();
      this.encoders.set(encoding, loading);
    }
    const encoder = await loading;
    this.ready.set(encoding, encoder);
    return encoder;
  }

  /** How many counts the cache holds (tests). */
  get cacheSize(): number {
    return this.cache.size;
  }
}

/** A run without whitespace longer than this is counted in slices of this length (a token is rarely over 30 characters). */
const MAX_RUN = 200;
const LONG_RUN = new RegExp(`\\S{${String(MAX_RUN)},}`, 'gu');

/**
 * The encoder's count, with every run of more than MAX_RUN characters without whitespace counted slice by slice: the
 * encoder merges a run as one piece, in time that grows faster than its square (80,000 letters took 27 s of the
 * extension host), so a pasted blob or a hostile request to the local endpoint would freeze it. Text with breaks
 * counts exactly as before; a long run may differ by a token per slice.
 */
function countInRuns(encoder: Encoder, text: string): number {
  let total = 0;
  let from = 0;
  for (const match of text.matchAll(LONG_RUN)) {
    total += from < match.index ? encoder.countTokens(text.slice(from, match.index)) : 0;
    const run = match[0];
    for (let start = 0; start < run.length; ) {
      let end = Math.min(start + MAX_RUN, run.length);
      // Never between the two halves of a surrogate pair.
      if (end < run.length && /[\uD800-\uDBFF]/.test(run.charAt(end - 1))) end++;
      total += encoder.countTokens(run.slice(start, end));
      start = end;
    }
    from = match.index + run.length;
  }
  return from === 0 ? encoder.countTokens(text) : total + (from < text.length ? encoder.countTokens(text.slice(from)) : 0);
}

/**
 * OpenAI's own encoding for an id the specs know, when it is the one shipped (o200k, which gpt-tokenizer's mapping
 * gives every model it does not list); the GPT-4 and GPT-3.5 generation (cl100k) is estimated.
 */
async function encodingOf(id: string): Promise<ShippedEncoding | undefined> {
  const spec = await openaiModelSpec(id);
  if (!spec) return undefined;
  const { modelToEncodingMap } = await import('gpt-tokenizer/mapping');
  const map = modelToEncodingMap as Readonly<Record<string, string | undefined>>;
  const encoding = map[spec.name] ?? map[id];
  // o200k_harmony (gpt-oss) is o200k_base plus special tokens that plain text never contains: the same counts.
  return encoding === undefined || encoding === 'o200k_base' || encoding === 'o200k_harmony' ? 'o200k_base' : undefined;
}
