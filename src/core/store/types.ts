/** A provider configuration as the seed names it; `encryptedApiKey` is the sealed string, never the key. */
export interface AIConfiguration {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly provider: string;
  readonly model: string;
  readonly baseUrl: string | null;
  readonly encryptedApiKey: string | null;
  /** The values of credential-carrying custom headers, as one sealed JSON object; config.headers holds a placeholder. */
  readonly encryptedHeaders?: string | null;
  readonly config: Readonly<Record<string, unknown>>;
  readonly isActive: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastTestedAt: string | null;
  readonly testStatus: string | null;
}

export interface NewConfiguration {
  readonly id?: string;
  readonly name: string;
  readonly provider: string;
  readonly model: string;
  readonly baseUrl?: string | null;
  readonly encryptedApiKey?: string | null;
  readonly config?: Readonly<Record<string, unknown>>;
  readonly isActive?: boolean;
}

export interface ConfigurationPatch {
  readonly name?: string;
  readonly provider?: string;
  readonly model?: string;
  readonly baseUrl?: string | null;
  readonly encryptedApiKey?: string | null;
  readonly encryptedHeaders?: string | null;
  readonly config?: Readonly<Record<string, unknown>>;
  readonly isActive?: boolean;
  readonly lastTestedAt?: string | null;
  readonly testStatus?: string | null;
}

export interface User {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

export type RequestOutcome = 'success' | 'error' | 'cancelled';

/** One model request as recorded in request_log. */
export interface RequestLogEntry {
  readonly userId: string;
  readonly configurationId: string;
  readonly routeGroupId?: string | null;
  readonly startedAt: string;
  readonly provider: string;
  readonly model: string;
  readonly outcome: RequestOutcome;
  readonly errorCode?: string | null;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly cachedTokens?: number;
  /** Prompt tokens written to the provider's cache (a part of inputTokens). */
  readonly cacheWriteTokens?: number;
  /** Output tokens spent on reasoning (a part of outputTokens). */
  readonly reasoningTokens?: number;
  readonly costUsd?: number;
  readonly latencyMs?: number | null;
  readonly ttftMs?: number | null;
  readonly attempt?: number;
  readonly reason?: string | null;
  /** Which price the cost used: a catalog source ("@pydantic/genai-prices@0.1.8"), "override", "local" or "unknown". */
  readonly priceSource?: string | null;
  /** The rate-limit headers seen on the response, as JSON text. */
  readonly rateLimit?: string | null;
  /** The local endpoint client that sent the request (endpoint_clients.id); null for VS Code's own requests. */
  readonly clientId?: string | null;
  /** The token counts were counted locally (a request cancelled before the provider reported its usage). */
  readonly tokensEstimated?: boolean;
}

export type ClientScope = 'chat' | 'admin';

/** A local endpoint client: its token is never stored, only the token's SHA-256. */
export interface EndpointClientRow {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly scope: ClientScope;
  readonly tokenHash: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export interface UsageTotals {
  readonly requestCount: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  readonly totalTokens: number;
  readonly costUsd: number;
  readonly errorCount: number;
  readonly latencyMsSum: number;
  readonly latencyCount: number;
}

export interface ProviderTemplate {
  readonly id: string;
  readonly provider: string;
  readonly name: string;
  readonly model: string;
  readonly description: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly isBuiltin: boolean;
  /** The one template of its provider that Add Configuration starts from (only a template of the user's own). */
  readonly isDefault: boolean;
  readonly createdAt: string;
}

export interface AuditEntry {
  readonly id: number;
  readonly userId: string;
  readonly at: string;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

export type RouteStrategy = 'fallback' | 'weighted-round-robin' | 'least-busy' | 'lowest-latency' | 'lowest-cost';

export interface RouteGroupMember {
  readonly configurationId: string;
  readonly weight?: number;
  /** Overrides the configuration's model for this member. */
  readonly model?: string;
}

/** How a route group behaves on failure; every field is optional in storage and has a default in the router. */
export interface RouteGroupSettings {
  /** Move on to the next member after a 401/403 (off: a bad key is reported, not hidden). */
  readonly fallbackOnAuthError?: boolean;
  /** A stream that already sent text may restart on the next member, with a visible notice. */
  readonly restartStreamsWithNotice?: boolean;
  /** Failures within the window that put a member out. */
  readonly cooldownFailures?: number;
  readonly cooldownWindowSeconds?: number;
  /** How long a member stays out before one probe request. */
  readonly cooldownSeconds?: number;
}

export interface RouteGroup {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly strategy: RouteStrategy;
  readonly members: readonly RouteGroupMember[];
  readonly settings: RouteGroupSettings;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface EncryptionKeyVersion {
  readonly userId: string;
  readonly version: number;
  readonly createdAt: string;
  readonly retiredAt: string | null;
}
