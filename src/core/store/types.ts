/** A provider configuration as the seed names it; `encryptedApiKey` is the sealed string, never the key. */
export interface AIConfiguration {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly provider: string;
  readonly model: string;
  readonly baseUrl: string | null;
  readonly encryptedApiKey: string | null;
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
  readonly costUsd?: number;
  readonly latencyMs?: number | null;
  readonly ttftMs?: number | null;
  readonly attempt?: number;
  readonly reason?: string | null;
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
}

export interface RouteGroup {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly strategy: RouteStrategy;
  readonly members: readonly RouteGroupMember[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface EncryptionKeyVersion {
  readonly userId: string;
  readonly version: number;
  readonly createdAt: string;
  readonly retiredAt: string | null;
}
