import { createHash } from 'node:crypto';
import { HttpError } from '../http';
import type { ModelInfo } from './types';

interface Entry {
  readonly models: readonly ModelInfo[];
  readonly at: number;
}

/** The model-list cache time setting (seconds): its default and the bounds a value is held to. */
export const MODEL_LIST_CACHE_SECONDS = { default: 300, min: 0, max: 86_400 } as const;

/** How long a model list stays fresh, from the setting: a value out of bounds is held to them, one that is not a number is the default. */
export function modelListTtlMs(seconds: unknown): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return MODEL_LIST_CACHE_SECONDS.default * 1000;
  return Math.round(Math.min(MODEL_LIST_CACHE_SECONDS.max, Math.max(MODEL_LIST_CACHE_SECONDS.min, seconds)) * 1000);
}

/** Model lists by endpoint and key (hashed: the key itself is never kept), fresh for a TTL; one fetch per key at a time. */
export class ModelCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<readonly ModelInfo[]>>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  static key(endpoint: string, apiKey: string | undefined): string {
    const digest = apiKey === undefined ? '-' : createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
    return `${endpoint}#${digest}`;
  }

  /** Cached models, or the result of `fetch` shared by every caller asking for the same key meanwhile. */
  async get(key: string, fetch: () => Promise<readonly ModelInfo[]>, options: { refresh?: boolean | undefined; signal?: AbortSignal | undefined }): Promise<readonly ModelInfo[]> {
    const cached = this.entries.get(key);
    if (!options.refresh && cached && this.now() - cached.at < this.ttlMs) return cached.models;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = fetch().then(
        (models) => {
          this.entries.set(key, { models, at: this.now() });
          return models;
        },
      ).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return raceAbort(pending, options.signal);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** One caller giving up does not cancel the fetch the others are waiting for. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(new HttpError('aborted', 'Listing models was cancelled.'));
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort);
    });
  });
}
