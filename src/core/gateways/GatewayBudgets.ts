import { createHash } from 'node:crypto';
import { errorMessage } from '../errors';
import { Emitter } from '../events';
import { HttpError, redact, type HttpClient } from '../http';
import { silentLogger, type Logger } from '../logger';
import { secretHeaderValues } from '../providers/secretHeaders';
import type { AIConfiguration } from '../store';
import { parseLiteLLMKeyInfo, type LiteLLMKeyBudget } from './litellmKeyInfo';

/** What a read of a LiteLLM configuration's virtual-key budget found. */
export type CheckedGatewayBudget =
  | { readonly kind: 'reported'; readonly budget: LiteLLMKeyBudget; readonly checkedAt: string }
  /** The key may not read its own info (403/404, a route-restricted key) or there is no key: nothing to show, nothing wrong. */
  | { readonly kind: 'not-reported'; readonly checkedAt: string }
  /** The read failed; `message` says why (never with the key). */
  | { readonly kind: 'failed'; readonly message: string; readonly checkedAt: string };

/** What is known of a LiteLLM configuration's virtual-key budget: a read's answer, or none yet (`not-checked`). */
export type GatewayBudgetState = CheckedGatewayBudget | { readonly kind: 'not-checked' };

/** How recent every read must be for a view that opens to show them without reading again. */
const VIEW_FRESH_MS = 60_000;

export interface GatewayBudgetsDeps {
  /** The configurations to watch (the session passes the active ones); only LiteLLM ones are read. */
  readonly configurations: () => readonly AIConfiguration[];
  /** The call target of a configuration, key opened (ProviderAccess.targetOf). */
  readonly resolve: (configuration: AIConfiguration) => Promise<{ target: { config: unknown; apiKey?: string } }>;
  readonly http: HttpClient;
  /** Longest a read may take. */
  readonly timeoutMs?: number;
  readonly now?: () => Date;
  /** Resolves after `ms` (setTimeout, unref'd); tests pass their own clock. */
  readonly wait?: (ms: number) => Promise<void>;
  readonly logger?: Logger;
}

/** How long Show Usage waits for a budget not read yet (right after start): longer would hold the message back. */
export const FIRST_READ_WAIT_MS = 3_000;

const defaultWait = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/** A configuration on LiteLLM's proxy: its preset says so. */
export function isLiteLLMConfiguration(configuration: AIConfiguration): boolean {
  return configuration.provider === 'openai-compatible' && configuration.config.preset === 'litellm';
}

/** `/key/info` sits at the proxy's root, beside `/v1`: http://host:4000/v1 → http://host:4000/key/info. */
export function keyInfoUrl(baseUrl: string): URL {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')}/key/info`;
  url.search = '';
  url.hash = '';
  return url;
}

/** Bodies larger than this are not a key's info. */
const MAX_KEY_INFO_BYTES = 256 * 1024;

/**
 * Reads each LiteLLM configuration's virtual-key budget (`GET /key/info` with the key in Authorization, never in the
 * URL), once per proxy and key however many configurations share them, and keeps the last answer per configuration.
 * The session refreshes it after each health check round.
 */
export class GatewayBudgets {
  private readonly states = new Map<string, CheckedGatewayBudget>();
  private readonly changes = new Emitter<void>();
  /** A configuration's budget state changed (or one was dropped). */
  readonly onDidChange = this.changes.event;
  private running: Promise<void> | undefined;
  /** Reads started by firstRead, per configuration: asking twice while one is under way sends one request. */
  private readonly firstReads = new Map<string, Promise<GatewayBudgetState | undefined>>();
  private readonly logger: Logger;
  private readonly now: () => Date;
  /** What was last logged per configuration: a key that keeps failing is logged once, not every round. */
  private readonly logged = new Map<string, string>();

  constructor(private readonly deps: GatewayBudgetsDeps) {
    this.logger = deps.logger ?? silentLogger;
    this.now = deps.now ?? (() => new Date());
  }

  /** The last known state of a configuration's gateway budget (no network); undefined when never read or not LiteLLM. */
  get(configurationId: string): CheckedGatewayBudget | undefined {
    return this.states.get(configurationId);
  }

  /** What a view shows of a configuration (no network): its last read, `not-checked` before one; undefined when not LiteLLM. */
  stateOf(configuration: AIConfiguration): GatewayBudgetState | undefined {
    if (!isLiteLLMConfiguration(configuration)) return undefined;
    return this.states.get(configuration.id) ?? { kind: 'not-checked' };
  }

  /** The watched LiteLLM configurations with what is known of each (no network), in the list's order. */
  list(): { readonly configuration: AIConfiguration; readonly state: GatewayBudgetState }[] {
    return this.deps.configurations().filter(isLiteLLMConfiguration).map((configuration) => ({ configuration, state: this.states.get(configuration.id) ?? { kind: 'not-checked' } }));
  }

  /**
   * The read a view makes when it opens, so it need not wait for the next health check: joins a round already
   * running, and reads only if some watched configuration was not read within the last minute. `force` (the view's
   * Refresh) always reads.
   */
  refreshForView(options: { readonly force?: boolean } = {}): Promise<void> {
    if (this.running) return this.running;
    if (options.force !== true) {
      const horizon = this.now().getTime() - VIEW_FRESH_MS;
      const fresh = this.list().every(({ state }) => state.kind !== 'not-checked' && Date.parse(state.checkedAt) >= horizon);
      if (fresh) return Promise.resolve();
    }
    return this.refresh();
  }

  /** Reads every watched LiteLLM configuration (joining a round already running). */
  refresh(): Promise<void> {
    this.running ??= this.round().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Reads one configuration now (Show Usage asks afresh) and keeps the answer. */
  async read(configuration: AIConfiguration): Promise<CheckedGatewayBudget | undefined> {
    if (!isLiteLLMConfiguration(configuration)) return undefined;
    const state = await this.readTarget(configuration);
    this.store(configuration, state);
    this.changes.fire();
    return state;
  }

  /**
   * The budget as Show Usage shows it: the last read, else the read under way (the round after start, or one started
   * now) for at most FIRST_READ_WAIT_MS; 'pending' when it has not answered by then (its answer is kept for later).
   * Undefined for a configuration not on LiteLLM.
   */
  async firstRead(configuration: AIConfiguration): Promise<GatewayBudgetState | 'pending' | undefined> {
    if (!isLiteLLMConfiguration(configuration)) return undefined;
    const known = this.states.get(configuration.id);
    if (known) return known;
    let reading = this.firstReads.get(configuration.id);
    if (!reading) {
      const round = this.running;
      // Join the round under way rather than send a second request; it may not cover a configuration added since.
      reading = (round ? round.catch(() => undefined).then(() => this.states.get(configuration.id) ?? this.read(configuration)) : this.read(configuration)).finally(() => {
        this.firstReads.delete(configuration.id);
      });
      this.firstReads.set(configuration.id, reading);
    }
    const waited = (this.deps.wait ?? defaultWait)(FIRST_READ_WAIT_MS).then(() => 'pending' as const);
    return Promise.race([reading, waited]);
  }

  /** Resolves when no round is running (tests wait for the refresh a health check started). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  dispose(): void {
    this.changes.dispose();
  }

  private async round(): Promise<void> {
    const watched = this.deps.configurations().filter(isLiteLLMConfiguration);
    const groups = new Map<string, { members: AIConfiguration[]; read: Promise<CheckedGatewayBudget> }>();
    for (const configuration of watched) {
      const resolved = await this.deps.resolve(configuration).catch((error: unknown) => error as Error);
      const key = resolved instanceof Error ? `error:${configuration.id}` : sameKey(resolved.target);
      const group = groups.get(key);
      if (group) group.members.push(configuration);
      else groups.set(key, { members: [configuration], read: resolved instanceof Error ? Promise.resolve(this.failed(`its settings or key could not be used: ${errorMessage(resolved)}`)) : this.fetch(resolved.target) });
    }
    for (const { members, read } of groups.values()) {
      const state = await read;
      for (const member of members) this.store(member, state);
    }
    const ids = new Set(watched.map((c) => c.id));
    for (const id of [...this.states.keys()]) if (!ids.has(id)) this.states.delete(id);
    this.changes.fire();
  }

  private async readTarget(configuration: AIConfiguration): Promise<CheckedGatewayBudget> {
    try {
      const { target } = await this.deps.resolve(configuration);
      return await this.fetch(target);
    } catch (error) {
      return this.failed(`its settings or key could not be used: ${errorMessage(error)}`);
    }
  }

  private async fetch(target: { config: unknown; apiKey?: string }): Promise<CheckedGatewayBudget> {
    const checkedAt = this.now().toISOString();
    const config = target.config as { baseUrl?: unknown; headers?: unknown };
    const apiKey = target.apiKey;
    if (!apiKey || typeof config.baseUrl !== 'string') return { kind: 'not-reported', checkedAt };
    const extra = isStringRecord(config.headers) ? config.headers : {};
    const secrets = [apiKey, ...secretHeaderValues(extra)];
    const timeoutMs = this.deps.timeoutMs ?? 15_000;
    try {
      const response = await this.deps.http.send({
        method: 'GET',
        url: keyInfoUrl(config.baseUrl),
        headers: { ...extra, authorization: `Bearer ${apiKey}` },
        expect: 'json',
        retry: false,
        timeouts: { headersMs: timeoutMs, bodyMs: timeoutMs, totalMs: timeoutMs },
        limits: { maxResponseBytes: MAX_KEY_INFO_BYTES },
        secrets,
      });
      const parsed = parseLiteLLMKeyInfo(await response.json());
      if (!parsed.ok) return this.failed(`its /key/info answer could not be read: ${redact(parsed.problem, secrets)}`, checkedAt);
      return { kind: 'reported', budget: withoutSecrets(parsed.budget, secrets), checkedAt };
    } catch (error) {
      if (error instanceof HttpError && error.kind === 'status') {
        if (error.status === 403 || error.status === 404 || error.status === 405 || routeNotAllowed(error.body)) return { kind: 'not-reported', checkedAt };
        if (error.status === 401) return this.failed('LiteLLM did not accept the virtual key (HTTP 401). Check the configuration\'s API key.', checkedAt);
        return this.failed(`/key/info answered HTTP ${String(error.status)}.`, checkedAt);
      }
      if (error instanceof HttpError && error.kind === 'timeout') return this.failed(`/key/info did not answer within ${String(Math.round(timeoutMs / 100) / 10)} s.`, checkedAt);
      if (error instanceof HttpError) return this.failed(redact(error.message, secrets), checkedAt);
      return this.failed(redact(errorMessage(error), secrets), checkedAt);
    }
  }

  private failed(message: string, checkedAt = this.now().toISOString()): CheckedGatewayBudget {
    return { kind: 'failed', message, checkedAt };
  }

  private store(configuration: AIConfiguration, state: CheckedGatewayBudget): void {
    this.states.set(configuration.id, state);
    const line = state.kind === 'failed' ? state.message : state.kind;
    if (this.logged.get(configuration.id) === line) return;
    this.logged.set(configuration.id, line);
    if (state.kind === 'failed') this.logger.warn(`The LiteLLM budget of "${configuration.name}" could not be read: ${state.message}`);
    else if (state.kind === 'not-reported') this.logger.info(`"${configuration.name}": the LiteLLM proxy does not report this key's budget (no access to /key/info).`);
  }
}

/** One read per proxy and key; the key only ever enters as part of a SHA-256. */
function sameKey(target: { config: unknown; apiKey?: string }): string {
  const config = target.config as { baseUrl?: unknown; headers?: unknown };
  const baseUrl = typeof config.baseUrl === 'string' ? config.baseUrl : '';
  return createHash('sha256').update(baseUrl).update('\u0000').update(target.apiKey ?? '').update('\u0000').update(JSON.stringify(config.headers ?? {})).digest('hex');
}

/** A key scoped to the LLM routes: LiteLLM refuses it "Virtual key is not allowed to call this route" (401 on some versions). */
function routeNotAllowed(body: unknown): boolean {
  return someText(body, (text) => /not allowed to call this route/i.test(text));
}

/** LiteLLM nests its message a level or two deep; a body nested deeper is hostile and is not searched further. */
const MAX_ERROR_DEPTH = 8;
/** Strings looked at before giving up: a wide body must not cost more than a deep one. */
const MAX_ERROR_STRINGS = 200;

/**
 * Whether a string in an error body (at most MAX_ERROR_DEPTH levels down) passes `test`. Walked with a queue, not
 * recursion or JSON.stringify: a proxy's body of 100,000 nested levels must not overflow the stack.
 */
function someText(body: unknown, test: (text: string) => boolean): boolean {
  const queue: { value: unknown; depth: number }[] = [{ value: body, depth: 0 }];
  let strings = 0;
  for (let next = queue.shift(); next !== undefined && strings < MAX_ERROR_STRINGS; next = queue.shift()) {
    const { value, depth } = next;
    if (typeof value === 'string') {
      strings++;
      if (test(value)) return true;
    } else if (typeof value === 'object' && value !== null && depth < MAX_ERROR_DEPTH) {
      for (const child of Object.values(value)) queue.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/**
 * A label the team typed may hold anything, the key or a piece of it too (in any encoding the redaction knows): such a
 * label is dropped whole rather than shown with a hole, since what is left of it would still say where the key was.
 */
function withoutSecrets(budget: LiteLLMKeyBudget, secrets: readonly string[]): LiteLLMKeyBudget {
  const clean = (text: string | null): string | null => (text === null || text === 'None' || redact(text, secrets) !== text ? null : text);
  return { ...budget, keyAlias: clean(budget.keyAlias), teamId: clean(budget.teamId) };
}
