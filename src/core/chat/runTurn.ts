import type { ChatRequest, ChatToolCall, FinishReason, Usage } from '../providers';
import type { MemberRef, RouteOptions, RouterEvent } from '../routing';
import type { RequestLogEntry } from '../store';
import { CONFIGURATION_GROUP_PREFIX } from './targets';

/** The router's chat as this module needs it (Router.chat in the extension). */
export interface ChatRouter {
  /** The clock the router stamps its attempts with. */
  readonly wallClock: () => Date;
  chat(groupId: string, request: ChatRequest, options?: RouteOptions): AsyncIterable<RouterEvent>;
}

/** Recorded attempts, priced by the usage tracker (UsageTracker.onDidRecord in the extension). */
export type OnRecorded = (listener: (recorded: { readonly entry: RequestLogEntry; readonly costUsd: number | undefined }) => void) => { dispose(): void };

/** What one answer cost and who gave it: the badge of a turn. */
export interface TurnBadge {
  /** The configuration that answered (the last member tried). */
  readonly member: MemberRef | undefined;
  readonly usage: Usage | undefined;
  /** USD over every attempt of the turn, as the usage tracker priced them; undefined when no price is known. */
  readonly costUsd: number | undefined;
  readonly latencyMs: number;
  readonly ttftMs: number | undefined;
  /** Why the router moved away from the first member, when it did. */
  readonly fallbackReason: string | undefined;
  readonly finish: FinishReason | undefined;
}

export interface TurnResult extends TurnBadge {
  readonly text: string;
  /** The model's reasoning as it streamed ('' when it showed none). */
  readonly reasoning: string;
  readonly toolCalls: readonly ChatToolCall[];
}

export interface TurnOptions {
  readonly signal?: AbortSignal | undefined;
  /** Each text delta as it arrives. */
  readonly onText?: (text: string) => void;
  /** Each reasoning delta as it arrives. */
  readonly onReasoning?: (text: string) => void;
  readonly onEvent?: (event: RouterEvent) => void;
  /** How long to wait for the usage tracker to price the turn's attempts after the stream ends. */
  readonly recordWaitMs?: number;
}

/**
 * One chat turn through the router, collecting the text, the answering member, the tokens and, from the usage
 * tracker's own records, the cost: the figures a badge shows are the ones the usage view adds up.
 */
export async function runTurn(router: ChatRouter, onRecorded: OnRecorded, groupId: string, request: ChatRequest, options: TurnOptions = {}): Promise<TurnResult> {
  const started = performance.now();
  // Compared on the router's own clock (it stamps the attempts), with a second of slack; never the wall clock, which
  // an injected clock or a clock step would put on another day.
  const startedAt = new Date(router.wallClock().getTime() - 1000).toISOString();
  const records: { entry: RequestLogEntry; costUsd: number | undefined }[] = [];
  let attempts = 0;
  let wake: (() => void) | undefined;
  const subscription = onRecorded((recorded) => {
    if (attempts === 0 || !belongsTo(groupId, recorded.entry) || recorded.entry.startedAt < startedAt) return;
    records.push({ entry: recorded.entry, costUsd: recorded.costUsd });
    wake?.();
  });
  let text = '';
  let reasoning = '';
  const toolCalls: ChatToolCall[] = [];
  let member: MemberRef | undefined;
  let usage: Usage | undefined;
  let ttftMs: number | undefined;
  let fallbackReason: string | undefined;
  let finish: FinishReason | undefined;
  try {
    try {
      for await (const event of router.chat(groupId, request, { signal: options.signal })) {
        options.onEvent?.(event);
        if (event.type === 'route') {
          attempts++;
          member = event.member;
          if (event.attempt > 1) fallbackReason = event.reason;
        } else if (event.type === 'text') {
          ttftMs ??= performance.now() - started;
          text += event.text;
          options.onText?.(event.text);
        } else if (event.type === 'reasoning') {
          ttftMs ??= performance.now() - started;
          reasoning += event.text;
          options.onReasoning?.(event.text);
        } else if (event.type === 'tool-call') {
          toolCalls.push(event.call);
        } else if (event.type === 'usage') {
          usage = event.usage;
        } else if (event.type === 'finish') {
          finish = event.reason;
        }
      }
    } finally {
      // Attempts are priced asynchronously; a short wait lets the badge show the tracker's own figure.
      const deadline = performance.now() + (options.recordWaitMs ?? 1000);
      while (records.length < attempts && performance.now() < deadline) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 25);
        });
      }
    }
  } finally {
    subscription.dispose();
  }
  const priced = records.filter((r) => r.costUsd !== undefined);
  const costUsd = priced.length === 0 ? undefined : priced.reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
  return { text, reasoning, toolCalls, member, usage, costUsd, latencyMs: performance.now() - started, ttftMs, fallbackReason, finish };
}


/** The router records implicit single-configuration groups with no group id (see ServiceHost), so match those by configuration. */
function belongsTo(groupId: string, entry: RequestLogEntry): boolean {
  if (groupId.startsWith(CONFIGURATION_GROUP_PREFIX)) return !entry.routeGroupId && entry.configurationId === groupId.slice(CONFIGURATION_GROUP_PREFIX.length);
  return entry.routeGroupId === groupId;
}
