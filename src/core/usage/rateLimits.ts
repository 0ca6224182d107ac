/** Response headers as undici gives them (names lower-case; recorded fixtures may not be). */
export type HeaderMap = Readonly<Record<string, string | string[] | undefined>>;

/** One limit the provider reported: how much is left and when it refills. */
export interface RateLimitWindow {
  readonly limit?: number;
  readonly remaining?: number;
  /** ISO time the window refills, when the provider said. */
  readonly resetsAt?: string;
}

/** What the provider's rate-limit headers said on the latest response of one configuration. */
export interface RateLimitState {
  readonly observedAt: string;
  readonly requests?: RateLimitWindow;
  readonly tokens?: RateLimitWindow;
  /** Anthropic limits input and output tokens separately. */
  readonly inputTokens?: RateLimitWindow;
  readonly outputTokens?: RateLimitWindow;
  /** From retry-after / retry-after-ms: do not call before this time. */
  readonly retryAt?: string;
}

type WindowName = 'requests' | 'tokens' | 'inputTokens' | 'outputTokens';

const openaiWindows: Record<string, WindowName> = { requests: 'requests', tokens: 'tokens' };
const anthropicWindows: Record<string, WindowName> = { requests: 'requests', tokens: 'tokens', 'input-tokens': 'inputTokens', 'output-tokens': 'outputTokens' };

/**
 * Reads OpenAI's x-ratelimit-{limit,remaining,reset}-{requests,tokens} (resets as durations like "6m0s" or "2ms"),
 * Anthropic's anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset} (RFC 3339) and
 * retry-after / retry-after-ms. Undefined when the response carried none of them.
 */
export function parseRateLimitHeaders(headers: HeaderMap, now: Date): RateLimitState | undefined {
  const windows: Partial<Record<WindowName, { limit?: number; remaining?: number; resetsAt?: string }>> = {};
  const put = (name: WindowName, field: 'limit' | 'remaining' | 'resetsAt', value: number | string | undefined): void => {
    if (value === undefined) return;
    windows[name] = { ...windows[name], [field]: value };
  };
  let retryAt: string | undefined;
  for (const [rawName, rawValue] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    const value = (Array.isArray(rawValue) ? rawValue[0] : rawValue)?.trim();
    if (value === undefined || value === '') continue;
    let match = /^x-ratelimit-(limit|remaining|reset)-(requests|tokens)$/.exec(name);
    if (match?.[1] && match[2]) {
      const window = openaiWindows[match[2]];
      if (window) put(window, fieldOf(match[1]), match[1] === 'reset' ? afterDuration(value, now) : count(value));
      continue;
    }
    match = /^anthropic-ratelimit-(requests|tokens|input-tokens|output-tokens)-(limit|remaining|reset)$/.exec(name);
    if (match?.[1] && match[2]) {
      const window = anthropicWindows[match[1]];
      if (window) put(window, fieldOf(match[2]), match[2] === 'reset' ? isoDate(value) : count(value));
      continue;
    }
    if (name === 'retry-after-ms' && /^\d+(\.\d+)?$/.test(value)) retryAt = new Date(now.getTime() + Number(value)).toISOString();
    else if (name === 'retry-after' && retryAt === undefined) retryAt = retryAfter(value, now);
  }
  if (Object.keys(windows).length === 0 && retryAt === undefined) return undefined;
  return { observedAt: now.toISOString(), ...windows, ...(retryAt === undefined ? {} : { retryAt }) };
}

/**
 * The quota as it stands at `now`: a window whose reset time has passed is full again (remaining = limit, or
 * unknown without a limit), and a passed retry-after is dropped.
 */
export function remainingAt(state: RateLimitState, now: Date): RateLimitState {
  const at = now.toISOString();
  const refresh = (window: RateLimitWindow | undefined): RateLimitWindow | undefined => {
    if (!window?.resetsAt || window.resetsAt > at) return window;
    return window.limit === undefined ? {} : { limit: window.limit, remaining: window.limit };
  };
  const out: Record<string, unknown> = { observedAt: state.observedAt };
  for (const name of ['requests', 'tokens', 'inputTokens', 'outputTokens'] as const) {
    const window = refresh(state[name]);
    if (window && Object.keys(window).length > 0) out[name] = window;
  }
  if (state.retryAt !== undefined && state.retryAt > at) out.retryAt = state.retryAt;
  return out as unknown as RateLimitState;
}

/** Reads back a recorded state; anything malformed reads as nothing. */
export function parseRecordedRateLimit(json: string): RateLimitState | undefined {
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value !== 'object' || value === null || typeof (value as { observedAt?: unknown }).observedAt !== 'string') return undefined;
    return value as RateLimitState;
  } catch {
    return undefined;
  }
}

function fieldOf(kind: string): 'limit' | 'remaining' | 'resetsAt' {
  return kind === 'limit' ? 'limit' : kind === 'remaining' ? 'remaining' : 'resetsAt';
}

function count(value: string): number | undefined {
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

/** OpenAI's reset durations: "1s", "6m0s", "2ms", "1h2m3.5s". */
function afterDuration(value: string, now: Date): string | undefined {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let ms = 0;
  let rest = value;
  for (const match of value.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    ms += Number(match[1]) * (units[match[2] ?? ''] ?? 0);
    rest = rest.replace(match[0], '');
  }
  if (rest.trim() !== '' || value === '') return undefined;
  return new Date(now.getTime() + Math.ceil(ms)).toISOString();
}

function isoDate(value: string): string | undefined {
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}

function retryAfter(value: string, now: Date): string | undefined {
  if (/^\d+(\.\d+)?$/.test(value)) return new Date(now.getTime() + Math.ceil(Number(value) * 1000)).toISOString();
  return isoDate(value);
}
