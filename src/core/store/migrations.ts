import { latencyBucketSql } from './latencyBuckets';
import type { Sql } from './sql';
import { num } from './sql';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: string;
}

/** Numbered, append-only: a released migration is never edited, a change is a new entry. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    up: `
      CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE ai_configurations (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        name TEXT NOT NULL,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        base_url TEXT,
        encrypted_api_key TEXT,
        config TEXT NOT NULL DEFAULT '{}',
        is_active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_tested_at TEXT,
        test_status TEXT
      );
      CREATE INDEX ai_configurations_user ON ai_configurations (user_id, name);
      CREATE TABLE provider_usage (
        id TEXT PRIMARY KEY,
        configuration_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        date TEXT NOT NULL,
        request_count INTEGER NOT NULL DEFAULT 0,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        cached_tokens INTEGER NOT NULL DEFAULT 0,
        total_tokens INTEGER NOT NULL DEFAULT 0,
        cost_usd REAL NOT NULL DEFAULT 0,
        error_count INTEGER NOT NULL DEFAULT 0,
        latency_ms_sum REAL NOT NULL DEFAULT 0,
        latency_count INTEGER NOT NULL DEFAULT 0,
        UNIQUE (user_id, configuration_id, date)
      );
      CREATE TABLE provider_templates (
        id TEXT PRIMARY KEY,
        provider TEXT NOT NULL,
        name TEXT NOT NULL,
        model TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        config TEXT NOT NULL DEFAULT '{}',
        is_builtin INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        target_type TEXT NOT NULL,
        target_id TEXT,
        details TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_log_user ON audit_log (user_id, at);
      -- Integer ids: a million log rows with UUID keys would double the file and the index.
      CREATE TABLE request_log (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        configuration_id TEXT NOT NULL,
        route_group_id TEXT,
        started_at TEXT NOT NULL,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        outcome TEXT NOT NULL,
        error_code TEXT,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        cached_tokens INTEGER NOT NULL DEFAULT 0,
        cost_usd REAL NOT NULL DEFAULT 0,
        latency_ms REAL,
        ttft_ms REAL,
        attempt INTEGER NOT NULL DEFAULT 1,
        reason TEXT
      );
      CREATE INDEX request_log_configuration_time ON request_log (user_id, configuration_id, started_at);
      CREATE INDEX request_log_user_time ON request_log (user_id, started_at);
      CREATE TABLE route_groups (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        name TEXT NOT NULL,
        strategy TEXT NOT NULL,
        members TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX route_groups_user ON route_groups (user_id, name);
      -- Key versions only: keys are derived from the master secret, which never enters this file.
      CREATE TABLE encryption_keys (
        user_id TEXT NOT NULL REFERENCES users(id),
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        retired_at TEXT,
        PRIMARY KEY (user_id, version)
      );
    `,
  },
  {
    version: 2,
    name: 'route group settings',
    // Fallback on auth errors, restarts with a notice, cooldown: one JSON object, defaults filled in on read.
    up: `ALTER TABLE route_groups ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';`,
  },
  {
    version: 3,
    name: 'usage tracking: price source, rate limits, richer rollups, latency histograms, budgets',
    up: `
      ALTER TABLE request_log ADD COLUMN price_source TEXT;
      -- JSON of the rate-limit headers seen on the response; NULL on most rows.
      ALTER TABLE request_log ADD COLUMN rate_limit TEXT;
      ALTER TABLE provider_usage ADD COLUMN provider TEXT;
      ALTER TABLE provider_usage ADD COLUMN ttft_ms_sum REAL NOT NULL DEFAULT 0;
      ALTER TABLE provider_usage ADD COLUMN ttft_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE provider_usage ADD COLUMN unpriced_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE provider_usage ADD COLUMN last_used_at TEXT;
      CREATE TABLE usage_latency_buckets (
        user_id TEXT NOT NULL,
        configuration_id TEXT NOT NULL,
        date TEXT NOT NULL,
        bucket INTEGER NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (user_id, configuration_id, date, bucket)
      ) WITHOUT ROWID;
      UPDATE provider_usage SET
        provider = (SELECT l.provider FROM request_log l WHERE l.user_id = provider_usage.user_id
          AND l.configuration_id = provider_usage.configuration_id ORDER BY l.started_at DESC LIMIT 1),
        ttft_ms_sum = COALESCE((SELECT SUM(l.ttft_ms) FROM request_log l WHERE l.user_id = provider_usage.user_id
          AND l.configuration_id = provider_usage.configuration_id AND substr(l.started_at, 1, 10) = provider_usage.date), 0),
        ttft_count = (SELECT COUNT(l.ttft_ms) FROM request_log l WHERE l.user_id = provider_usage.user_id
          AND l.configuration_id = provider_usage.configuration_id AND substr(l.started_at, 1, 10) = provider_usage.date),
        last_used_at = (SELECT MAX(l.started_at) FROM request_log l WHERE l.user_id = provider_usage.user_id
          AND l.configuration_id = provider_usage.configuration_id AND substr(l.started_at, 1, 10) = provider_usage.date);
      INSERT INTO usage_latency_buckets (user_id, configuration_id, date, bucket, count)
        SELECT user_id, configuration_id, substr(started_at, 1, 10), ${latencyBucketSql('latency_ms')}, COUNT(*)
        FROM request_log WHERE latency_ms IS NOT NULL GROUP BY 1, 2, 3, 4;
      CREATE TABLE usage_budgets (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        configuration_id TEXT,
        name TEXT NOT NULL,
        period TEXT NOT NULL,
        limit_usd REAL,
        limit_tokens INTEGER,
        hard_stop INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX usage_budgets_user ON usage_budgets (user_id);
      -- Which warning (50, 80, 100 %) fired in which period, so each fires once even across windows and restarts.
      CREATE TABLE usage_budget_alerts (
        budget_id TEXT NOT NULL,
        period_start TEXT NOT NULL,
        threshold INTEGER NOT NULL,
        fired_at TEXT NOT NULL,
        PRIMARY KEY (budget_id, period_start, threshold)
      );
    `,
  },
  {
    version: 4,
    name: 'chat conversations',
    // The chat panel's conversations: one row each, and their messages in order; badges as JSON on assistant turns.
    up: `
      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        title TEXT NOT NULL,
        group_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX conversations_user ON conversations (user_id, updated_at);
      CREATE TABLE conversation_messages (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        role TEXT NOT NULL,
        content TEXT NOT NULL,
        group_id TEXT,
        badge TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX conversation_messages_order ON conversation_messages (user_id, conversation_id, seq);
    `,
  },
  {
    version: 5,
    name: 'sealed custom headers',
    // Header values that carry credentials (api-key, x-api-key, Authorization, ...), sealed like the API key.
    up: `
      ALTER TABLE ai_configurations ADD COLUMN encrypted_headers TEXT;
    `,
  },
  {
    version: 6,
    name: 'default templates',
    // The template Add Configuration starts from, at most one per provider (the specification's is_default).
    up: `
      ALTER TABLE provider_templates ADD COLUMN is_default INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 7,
    name: 'chat images',
    // Images sent with a chat panel prompt, as JSON [{mimeType, data (base64)}]; bounded per conversation by the chat.
    up: `
      ALTER TABLE conversation_messages ADD COLUMN images TEXT;
    `,
  },
  {
    version: 8,
    name: 'cache writes and reasoning tokens',
    // Anthropic bills prompt-cache writes above the input price; reasoning tokens are a part of the output worth showing.
    up: `
      ALTER TABLE request_log ADD COLUMN cache_write_tokens INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE request_log ADD COLUMN reasoning_tokens INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 9,
    name: 'local endpoint clients',
    // The local endpoint's client tokens (only their SHA-256), and which client sent each request.
    up: `
      CREATE TABLE endpoint_clients (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        name TEXT NOT NULL,
        scope TEXT NOT NULL CHECK (scope IN ('chat', 'admin')),
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at TEXT
      );
      CREATE INDEX endpoint_clients_user ON endpoint_clients (user_id, created_at);
      ALTER TABLE request_log ADD COLUMN client_id TEXT;
    `,
  },
  {
    version: 10,
    name: 'budgets of one endpoint client',
    // A budget may count only the requests one local endpoint client sent (its request_log rows name it).
    up: `
      ALTER TABLE usage_budgets ADD COLUMN client_id TEXT;
    `,
  },
  {
    version: 11,
    name: 'estimated tokens of cancelled requests',
    // A request cancelled mid-answer reports no usage: its tokens are counted locally, and the row says so.
    up: `
      ALTER TABLE request_log ADD COLUMN tokens_estimated INTEGER NOT NULL DEFAULT 0;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = migrations.reduce((max, m) => Math.max(max, m.version), 0);

export type MigrationOutcome =
  | { readonly kind: 'current'; readonly version: number }
  | { readonly kind: 'migrated'; readonly from: number; readonly to: number }
  | { readonly kind: 'newer'; readonly found: number; readonly known: number };

/** The highest applied migration, 0 for an empty database. */
export function schemaVersion(sql: Sql): number {
  const table = sql.get("SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  if (!table) return 0;
  return num(sql.get('SELECT MAX(version) AS version FROM schema_migrations')?.version);
}

/** Applies every pending migration (up to `target`) in one transaction; refuses (changing nothing) a file from a newer build. */
export function migrate(sql: Sql, now: string, target = LATEST_SCHEMA_VERSION): MigrationOutcome {
  const from = schemaVersion(sql);
  if (from > LATEST_SCHEMA_VERSION) return { kind: 'newer', found: from, known: LATEST_SCHEMA_VERSION };
  const pending = migrations.filter((m) => m.version > from && m.version <= target).sort((a, b) => a.version - b.version);
  if (pending.length === 0) return { kind: 'current', version: from };
  sql.run('BEGIN');
  try {
    sql.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const migration of pending) {
      sql.db.exec(migration.up);
      sql.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [migration.version, now]);
    }
    sql.run('COMMIT');
  } catch (error) {
    sql.run('ROLLBACK');
    throw error;
  }
  return { kind: 'migrated', from, to: Math.max(from, ...pending.map((m) => m.version)) };
}
