import { costOf, type ModelCatalog, type ModelPrices } from '../catalog';
import { Emitter } from '../events';
import type { ResponseHeaders } from '../http';
import { ProviderError, type ChatEvent, type ChatRequest, type Usage } from '../providers';
import type { RequestLogEntry } from '../store';
import { sentence } from '../text';
import { classify, type Failure } from './classify';
import { normalizeHistory } from './convert';
import { Cooldowns } from './cooldown';
import { RoutingError } from './errors';
import { catalogFacts, estimateTokens, type FactsOf } from './facts';
import { LatencyWindow } from './latency';
import { lowestCostOrder } from './lowestCost';
import { fallbackOrder, LeastBusy, lowestLatencyOrder, SmoothWeightedRoundRobin, type Selection } from './strategies';
import { keyOf, refOf, type MemberFacts, type MemberStateChange, type MemberTarget, type ResolvedGroup, type RouteMember, type RouterEvent, type RouterMemberState } from './types';

/** Where the router finds a group (RouteGroupService.resolve in the extension). */
export interface GroupSource {
  resolve(groupId: string): ResolvedGroup | undefined;
}

export interface RouterDeps {
  readonly groups: GroupSource;
  /** The adapter and decrypted target of a member (ProviderAccess.targetOf in the extension). */
  readonly targetOf: (member: RouteMember) => Promise<MemberTarget>;
  /**
   * One request_log row per attempt; the host passes it to the usage tracker, with the attempt's last response
   * headers (rate-limit state) when the provider answered.
   */
  /**
   * `unreported`: an attempt cancelled after the provider had started answering, without the usage it would have
   * reported: what was sent and produced, for the recorder to count locally (its row is marked estimated).
   */
  readonly recordAttempt: (entry: RequestLogEntry, headers?: ResponseHeaders, unreported?: { readonly request: ChatRequest; readonly produced: string }) => void;
  /**
   * Whether a member may take a request now (the budgets' hard stop in the extension). A refused member is skipped
   * without a request, so it leaves no request_log row; when every member is refused the router says why.
   */
  /** `clientId`: the local endpoint client the request came from, whose own budgets apply too. */
  readonly admit?: (member: RouteMember, clientId?: string) => Admission;
  /** Prices for each attempt's cost, context windows for lowest-cost routing. */
  readonly catalog?: ModelCatalog;
  /** Context windows, prices and tool support; by default from `catalog` and the provider. */
  readonly facts?: FactsOf;
  /** Monotonic clock for cooldowns and latencies (tests). */
  readonly now?: () => number;
  /**
   * Wall clock for the attempts' request_log times: the usage tracker's days and months are wall-clock periods, and a
   * monotonic clock stops while the machine sleeps. The extension passes its session clock.
   */
  readonly wallClock?: () => Date;
  /** Told of every first pick with each member's requests in flight just before it (logs and tests). */
  readonly onSelect?: (groupId: string, chosen: RouteMember, inFlight: ReadonlyMap<string, number>) => void;
}

export type Admission = { readonly allowed: true } | { readonly allowed: false; readonly message: string };

export interface RouteOptions {
  readonly signal?: AbortSignal | undefined;
  /** The local endpoint client the request came from, recorded on each attempt's row. */
  readonly clientId?: string | undefined;
}

type AttemptResult = { readonly ok: true } | { readonly ok: false; readonly failure: Failure; readonly sawText: boolean };

/** One attempt at a member as Router.chat drives it (see Router.attempt). */
interface AttemptRun {
  events(): Promise<AsyncIterable<ChatEvent>>;
  saw(event: ChatEvent): void;
  succeeded(): AttemptResult;
  failed(error: unknown): AttemptResult;
  close(): void;
}

/**
 * Sends a chat to a route group: picks a member by the group's strategy, falls back on failures that another member
 * may not have, and says what it did in `route` notices between the model's own events. Retries stay within a member
 * (the HTTP client's policy); every attempt becomes one request_log row through `recordAttempt`.
 */
export class Router {
  private readonly cooldowns: Cooldowns;
  private readonly latency = new LatencyWindow();
  private readonly wrr = new SmoothWeightedRoundRobin();
  private readonly leastBusy = new LeastBusy();
  private readonly inFlight = new Map<string, number>();
  private readonly now: () => number;
  /** The clock its request_log rows are stamped with. */
  readonly wallClock: () => Date;
  private readonly facts: FactsOf;
  private readonly stateChanges = new Emitter<MemberStateChange>();
  /**
   * Fired when a member enters or leaves cooldown, its probe starts, or a budget starts or stops refusing it, so the
   * tree and the panel show it without a refresh.
   */
  readonly onDidChangeMemberState = this.stateChanges.event;
  /** The last state told per member key (absent: healthy), and the group that saw it. */
  private readonly told = new Map<string, { state: RouterMemberState; groupId: string; member: RouteMember }>();
  /** One timer per cooling member: its cooldown runs out without any request noticing. */
  private readonly expiries = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly deps: RouterDeps) {
    this.now = deps.now ?? (() => performance.timeOrigin + performance.now());
    this.wallClock = deps.wallClock ?? (() => new Date());
    this.cooldowns = new Cooldowns(this.now);
    this.facts = deps.facts ?? catalogFacts(deps.catalog);
  }

  /** Requests a member has in flight right now (least-busy reads it; tests too). */
  busy(member: RouteMember): number {
    return this.inFlight.get(keyOf(member)) ?? 0;
  }

  /** Whether a member is cooling down. */
  isCoolingDown(member: RouteMember): boolean {
    return this.cooldowns.isOut(keyOf(member));
  }

  /** The member's cooldown state now: healthy, cooling down, or its one probe in flight (budgets are the caller's). */
  cooldownState(member: RouteMember): Exclude<RouterMemberState, 'paused'> {
    const state = this.cooldowns.stateOf(keyOf(member));
    return state === 'ok' ? 'healthy' : state === 'out' ? 'cooling-down' : 'probing';
  }

  /** Stops the cooldown timers and drops the listeners (the session closes). */
  dispose(): void {
    for (const timer of this.expiries.values()) clearTimeout(timer);
    this.expiries.clear();
    this.stateChanges.dispose();
  }

  /** Tells listeners when the member's state differs from the last one told; `paused` carries the budget's message. */
  private observe(groupId: string, member: RouteMember, pausedBecause?: string): void {
    const key = keyOf(member);
    const state: RouterMemberState = pausedBecause === undefined ? this.cooldownState(member) : 'paused';
    const previous = this.told.get(key)?.state ?? 'healthy';
    if (state === 'healthy') this.told.delete(key);
    else this.told.set(key, { state, groupId, member });
    this.scheduleExpiry(key, state);
    if (state === previous) return;
    this.stateChanges.fire({ groupId, member: refOf(member), state, previous, ...(pausedBecause === undefined ? {} : { why: pausedBecause }) });
  }

  /** A cooling member leaves cooldown when its time is up, whether or not a request comes: say so then. */
  private scheduleExpiry(key: string, state: RouterMemberState): void {
    const pending = this.expiries.get(key);
    if (pending !== undefined) clearTimeout(pending);
    this.expiries.delete(key);
    if (state !== 'cooling-down') return;
    const timer = setTimeout(() => {
      this.expiries.delete(key);
      const told = this.told.get(key);
      if (told?.state === 'cooling-down') this.observe(told.groupId, told.member);
    }, this.cooldowns.remainingMs(key) + 5);
    // Node's timers have unref; a pending expiry must not keep the extension host (or a test run) alive.
    (timer as { unref?: () => void }).unref?.();
    this.expiries.set(key, timer);
  }

  async *chat(groupId: string, request: ChatRequest, options: RouteOptions = {}): AsyncGenerator<RouterEvent, void, undefined> {
    const group = this.deps.groups.resolve(groupId);
    if (!group) throw new RoutingError('unknown-group', 'This route group no longer exists. Pick another model or group.');
    if (group.members.length === 0) throw new RoutingError('no-members', `The route group "${group.name}" has no members. Add a configuration to it.`);
    const routed: ChatRequest = { ...request, messages: normalizeHistory(request.messages) };
    const up = group.members.filter((m) => !this.cooldowns.isOut(keyOf(m)));
    if (up.length === 0) {
      const wait = Math.min(...group.members.map((m) => this.cooldowns.remainingMs(keyOf(m))));
      throw new RoutingError('unavailable', `Every member of "${group.name}" is cooling down after repeated failures. Try again in ${String(Math.max(1, Math.ceil(wait / 1000)))} s.`, { retryAfterMs: wait });
    }
    // Everything from the pick to the reservation of the member runs without an await, so that concurrent requests
    // see each other's choices (least-busy depends on it).
    const selection = group.strategy === 'lowest-cost' ? await lowestCostOrder(up, routed, this.deps.targetOf, this.facts, options.signal) : this.select(group, up);
    const queue = [...selection.order];
    const attempts: string[] = [];
    let reason = selection.reason;
    let sentText = false;
    let last: Failure | undefined;
    let attempt = 0;
    let needWindowAbove: number | undefined;
    let reserved: string | undefined;
    const refused: string[] = [];
    try {
      while (queue.length > 0) {
        const member = queue.shift();
        if (!member) break;
        const key = keyOf(member);
        const budget = this.deps.admit?.(member, options.clientId);
        if (budget && !budget.allowed) {
          this.observe(group.id, member, budget.message);
          refused.push(budget.message);
          reason = `${reason}; skipped ${member.name}: ${budget.message}`;
          continue;
        }
        const admission = this.cooldowns.admit(key);
        this.observe(group.id, member);
        if (admission === 'out') continue;
        if (attempt === 0 && this.deps.onSelect) this.deps.onSelect(group.id, member, new Map(this.inFlight));
        attempt++;
        this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
        reserved = key;
        const restart = sentText;
        yield { type: 'route', kind: restart ? 'restarted' : 'selected', groupId: group.id, member: refOf(member), attempt, reason: restart ? `${reason}; the text shown so far came from the previous member and is replaced` : reason };
        reserved = undefined;
        // The attempt's events are passed on here, not through a generator of its own: one async step per event less.
        const run = this.attempt(group, member, routed, attempt, reason, options);
        let result: AttemptResult;
        try {
          for await (const event of await run.events()) {
            run.saw(event);
            yield event;
          }
          result = run.succeeded();
        } catch (error) {
          result = run.failed(error);
        } finally {
          run.close();
        }
        if (result.ok) return;
        const { failure } = result;
        last = failure;
        sentText ||= result.sawText;
        attempts.push(`${member.name} (${member.model}): ${failure.summary}`);
        const stop = this.stopReason(group, failure, result.sawText);
        if (stop) throw stop(member, attempts);
        if (failure.class === 'larger-window') {
          needWindowAbove = (await this.factsOrUndefined(member))?.contextWindow ?? estimateTokens(routed);
          const larger = await this.withLargerWindow(queue, needWindowAbove);
          queue.splice(0, queue.length, ...larger);
          reason = `${member.name} said the conversation is too long for its context window; ${queue[0] ? `${queue[0].name} has a larger one` : 'no other member has a larger window'}`;
        } else {
          reason = `moved on from ${member.name} (${member.model}): ${failure.summary}`;
        }
      }
    } finally {
      // The caller stopped reading at a notice, before the attempt began.
      if (reserved !== undefined) this.leave(reserved);
    }
    if (last === undefined && refused.length > 0) {
      const what = refused.length === 1 ? (refused[0] ?? '') : `No member of "${group.name}" may take requests now: ${refused.join(' ')}`;
      throw new RoutingError('budget', what);
    }
    if (last === undefined) {
      throw new RoutingError('unavailable', `Every member of "${group.name}" that could take this request is cooling down after repeated failures.`);
    }
    if (group.single) throw new RoutingError('exhausted', singleFailure(group, last), { attempts, cause: last.error });
    const what = needWindowAbove === undefined ? 'Every member failed' : 'No member with a larger context window could take the conversation';
    throw new RoutingError('exhausted', `${what} in "${group.name}": ${attempts.join('; ')}.`, { attempts, cause: last.error });
  }

  private leave(key: string): void {
    const left = (this.inFlight.get(key) ?? 1) - 1;
    if (left <= 0) this.inFlight.delete(key);
    else this.inFlight.set(key, left);
  }

  private select(group: ResolvedGroup, members: readonly RouteMember[]): Selection {
    switch (group.strategy) {
      case 'weighted-round-robin':
        return this.wrr.select(group.id, members);
      case 'least-busy':
        return this.leastBusy.select(group.id, members, (m) => this.busy(m));
      case 'lowest-latency':
        return lowestLatencyOrder(members, this.latency);
      case 'lowest-cost':
      case 'fallback':
        return fallbackOrder(members);
    }
  }

  /** Undefined when the router may move on; else the error to stop with. */
  private stopReason(group: ResolvedGroup, failure: Failure, sawText: boolean): ((member: RouteMember, attempts: readonly string[]) => RoutingError) | undefined {
    const cause = failure.error;
    if (failure.class === 'cancelled') return (member) => new RoutingError('cancelled', 'The request was cancelled.', { member: refOf(member), cause });
    if (failure.class === 'request') return (member, attempts) => new RoutingError('request', `${member.name} refused the request: ${cause.message}`, { member: refOf(member), cause, attempts });
    if (failure.class === 'auth' && group.single) return (member, attempts) => new RoutingError('auth', singleFailure(group, failure), { member: refOf(member), cause, attempts });
    if (failure.class === 'auth' && !group.settings.fallbackOnAuthError) {
      return (member, attempts) =>
        new RoutingError('auth', `${cause.message} The group "${group.name}" does not fall back on key errors: fix the key of "${member.name}", or allow fallback on auth errors in the group.`, { member: refOf(member), cause, attempts });
    }
    if (sawText && group.single) {
      return (member, attempts) => new RoutingError('stream-interrupted', `"${member.name}" failed after it had started answering (${failure.summary}). The answer is incomplete: send it again.`, { member: refOf(member), cause, attempts });
    }
    if (sawText && !group.settings.restartStreamsWithNotice) {
      return (member, attempts) =>
        new RoutingError('stream-interrupted', `${member.name} failed after it had started answering (${failure.summary}). The answer is incomplete; it was not restarted on another model. Send it again, or allow restarts in the group.`, { member: refOf(member), cause, attempts });
    }
    return undefined;
  }

  private async factsOrUndefined(member: RouteMember): Promise<MemberFacts | undefined> {
    try {
      return await this.facts(member, await this.deps.targetOf(member));
    } catch {
      return undefined;
    }
  }

  /** The remaining members whose known window is larger, smallest first (usually the cheapest that fits). */
  private async withLargerWindow(queue: readonly RouteMember[], above: number): Promise<RouteMember[]> {
    const sized = await Promise.all(queue.map(async (member) => ({ member, window: (await this.factsOrUndefined(member))?.contextWindow })));
    return sized.filter((s): s is { member: RouteMember; window: number } => s.window !== undefined && s.window > above).sort((a, b) => a.window - b.window).map((s) => s.member);
  }

  /**
   * One attempt at a member, for chat's loop to drive: `events()` starts it, `saw` each event passed on, then
   * `succeeded()` or `failed(error)`, and `close()` always (a caller that stopped reading leaves it cancelled). Every
   * attempt becomes one request_log row.
   */
  private attempt(group: ResolvedGroup, member: RouteMember, request: ChatRequest, attempt: number, reason: string, options: RouteOptions): AttemptRun {
    const { signal, clientId } = options;
    const key = keyOf(member);
    const startedAt = this.now();
    const startedAtWall = this.wallClock().toISOString();
    let firstEventMs: number | undefined;
    let usage: Usage | undefined;
    let reached = false;
    let sawText = false;
    let headers: ResponseHeaders | undefined;
    // What the answer had produced, for counting its tokens if it is cancelled before its usage arrives.
    const produced: string[] = [];
    let settled = false;
    const record = (outcome: RequestLogEntry['outcome'], failure: Failure | undefined, why: string): void => {
      settled = true;
      const reported = reached ? usage : undefined;
      const entry = this.entry(group, member, { startedAt, startedAtWall, attempt, outcome, failure, usage: reported, firstEventMs, why, clientId });
      // Cancelled before any answer: the provider may not have read the prompt; nothing is counted then. An answer
      // that broke off after text, or ended without its usage (servers that ignore include_usage), was billed all the
      // same, and is counted like a cancelled one.
      const estimated = outcome === 'cancelled' ? reached || headers !== undefined : outcome === 'success' || produced.length > 0;
      const unreported = estimated && reported === undefined ? { request, produced: produced.join('') } : undefined;
      if (unreported) this.deps.recordAttempt(entry, headers, unreported);
      else if (headers) this.deps.recordAttempt(entry, headers);
      else this.deps.recordAttempt(entry);
    };
    return {
      events: async () => {
        const resolved = await this.deps.targetOf(member);
        return resolved.adapter.chat(resolved.target, member.model === '' ? request : { ...request, model: member.model }, {
          signal,
          onHeaders: (latest) => {
            headers = latest;
          },
        });
      },
      saw: (event) => {
        if (firstEventMs === undefined) {
          reached = true;
          firstEventMs = this.now() - startedAt;
        }
        // Reasoning the user has seen counts as shown: an answer is not silently restarted under it either.
        if (event.type === 'text' || event.type === 'reasoning') {
          sawText = true;
          produced.push(event.text);
        } else if (event.type === 'tool-call') produced.push(event.call.name, event.call.arguments);
        else if (event.type === 'usage') usage = event.usage;
      },
      succeeded: () => {
        this.cooldowns.success(key);
        this.observe(group.id, member);
        this.latency.add(key, firstEventMs ?? this.now() - startedAt);
        record('success', undefined, reason);
        return { ok: true };
      },
      failed: (error) => {
        const failure = classify(error);
        // An error body is an answer: the provider was reached, though it reports no tokens for a refusal.
        reached ||= failure.answered;
        if (failure.class === 'cancelled') {
          this.cooldowns.release(key);
          record('cancelled', failure, 'cancelled by the caller');
        } else {
          if (failure.class !== 'request') this.cooldowns.failure(key, group.settings, failure.class === 'move-on' ? failure.retryAfterMs : undefined);
          else this.cooldowns.release(key);
          record('error', failure, this.whyMovedOn(group, failure, sawText));
        }
        this.observe(group.id, member);
        return { ok: false, failure, sawText };
      },
      close: () => {
        this.leave(key);
        // The caller stopped reading mid-answer: a cancelled attempt, still one row.
        if (!settled) {
          this.cooldowns.release(key);
          this.observe(group.id, member);
          record('cancelled', undefined, 'the caller stopped reading');
        }
      },
    };
  }

  private whyMovedOn(group: ResolvedGroup, failure: Failure, sawText: boolean): string {
    if (failure.class === 'request') return `stopped: the request was refused (${failure.summary})`;
    if (failure.class === 'auth' && !group.settings.fallbackOnAuthError) return `stopped: ${failure.summary}; the group does not fall back on auth errors`;
    if (sawText && !group.settings.restartStreamsWithNotice) return `stopped: failed after sending text (${failure.summary}); not restarted elsewhere`;
    if (sawText) return `restarting on the next member with a notice: failed after sending text (${failure.summary})`;
    if (failure.class === 'larger-window') return `moved on to a larger context window: ${failure.summary}`;
    return `moved on: ${failure.summary}${failure.retryAfterMs === undefined ? '' : `, Retry-After ${String(Math.ceil(failure.retryAfterMs / 1000))} s`}`;
  }

  private entry(
    group: ResolvedGroup,
    member: RouteMember,
    a: { startedAt: number; startedAtWall: string; attempt: number; outcome: RequestLogEntry['outcome']; failure: Failure | undefined; usage: Usage | undefined; firstEventMs: number | undefined; why: string; clientId: string | undefined },
  ): RequestLogEntry {
    const usage = a.usage;
    const prices = usage ? this.pricesOf(member) : undefined;
    return {
      userId: group.userId,
      configurationId: member.configurationId,
      routeGroupId: group.id,
      startedAt: a.startedAtWall,
      provider: member.provider,
      model: member.model,
      outcome: a.outcome,
      errorCode: a.failure?.code ?? null,
      inputTokens: usage?.input ?? 0,
      outputTokens: usage?.output ?? 0,
      cachedTokens: usage?.cached ?? 0,
      cacheWriteTokens: usage?.cacheWrite ?? 0,
      reasoningTokens: usage?.reasoning ?? 0,
      ...(usage && prices ? { costUsd: costOf(usage, prices) } : {}),
      latencyMs: this.now() - a.startedAt,
      ttftMs: a.firstEventMs ?? null,
      attempt: a.attempt,
      reason: a.why,
      ...(a.clientId === undefined ? {} : { clientId: a.clientId }),
    };
  }

  private readonly knownPrices = new Map<string, ModelPrices | undefined>();

  /** The catalog's prices for a member, looked up once. */
  private pricesOf(member: RouteMember): ModelPrices | undefined {
    const catalog = this.deps.catalog;
    if (!catalog) return undefined;
    const key = keyOf(member);
    if (!this.knownPrices.has(key)) this.knownPrices.set(key, catalog.pricesFor(member.provider, member.model, { preset: member.preset, baseUrl: member.baseUrl }));
    return this.knownPrices.get(key);
  }
}

/** A configuration chatted with directly failed: its provider's own message and what to do, once. */
function singleFailure(group: ResolvedGroup, failure: Failure): string {
  const { error } = failure;
  if (error instanceof ProviderError) return `"${group.name}" could not answer: ${error.message}${error.hint ? ` ${error.hint}` : ''}`;
  return `"${group.name}" could not answer: ${sentence(error.message)}`;
}
