import * as z from 'zod/mini';

/** A billion dollars: a larger figure is not a team budget but a broken or hostile answer. */
export const MAX_GATEWAY_USD = 1_000_000_000;

/** A virtual key's budget as LiteLLM's `GET /key/info` reports it. Never holds the key. */
export interface LiteLLMKeyBudget {
  /** What the key has spent in the current budget period, in USD. */
  readonly spendUsd: number;
  /** The key's budget in USD; null when none is set (the key is not limited by one). */
  readonly maxBudgetUsd: number | null;
  /** What is left of it (never below 0); null without a budget. */
  readonly remainingUsd: number | null;
  /** Where LiteLLM alerts before the budget is reached; null when none is set. */
  readonly softBudgetUsd: number | null;
  /** How often spend resets, as LiteLLM writes it ("30d", "1mo"); null for a one-time budget. */
  readonly budgetDuration: string | null;
  /** When spend next resets (ISO 8601, UTC); null when it never does. */
  readonly resetsAt: string | null;
  /** The key's name given by the team (never the key or its abbreviation). */
  readonly keyAlias: string | null;
  readonly teamId: string | null;
  /** The gateway blocks the key. */
  readonly blocked: boolean;
}

export type KeyInfoParse = { readonly ok: true; readonly budget: LiteLLMKeyBudget } | { readonly ok: false; readonly problem: string };

// z.number() refuses NaN and ±Infinity (JSON's 1e999 parses as Infinity); strings such as "NaN" are not numbers.
const usd = z.number().check(z.gte(0, { error: 'must not be negative' }), z.lte(MAX_GATEWAY_USD, { error: 'is beyond any budget (over $1,000,000,000)' }));
const optionalUsd = z.optional(z.nullable(usd));
const duration = z.string().check(z.regex(/^\d{1,6}(?:s|m|h|d|w|mo)$/, { error: 'is not a duration such as 30d' }));
// Years 2000 to 9999 in ISO form: anything else cannot be a reset date.
const resetDate = z.string().check(
  z.maxLength(64),
  z.refine((text) => /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text) && isPlausible(Date.parse(text)), { error: 'is not a date and time' }),
);
const label = z.string().check(z.maxLength(1000, { error: 'is too long' }));

const budgetTable = z.looseObject({
  max_budget: optionalUsd,
  soft_budget: optionalUsd,
  budget_duration: z.optional(z.nullable(duration)),
  budget_reset_at: z.optional(z.nullable(resetDate)),
});

const keyInfoSchema = z.looseObject({
  info: z.looseObject({
    spend: usd,
    max_budget: optionalUsd,
    budget_duration: z.optional(z.nullable(duration)),
    budget_reset_at: z.optional(z.nullable(resetDate)),
    key_alias: z.optional(z.nullable(label)),
    team_id: z.optional(z.nullable(label)),
    blocked: z.optional(z.nullable(z.boolean())),
    litellm_budget_table: z.optional(z.nullable(budgetTable)),
  }),
});

function isPlausible(ms: number): boolean {
  return Number.isFinite(ms) && ms >= Date.UTC(2000, 0, 1) && ms < Date.UTC(10000, 0, 1);
}

/**
 * Reads a `/key/info` answer strictly: each figure a dollar amount from 0 to a billion, dates real dates; a missing
 * or null `max_budget` means no budget is set. The key's own budget comes first, then the budget row linked to it.
 */
export function parseLiteLLMKeyInfo(body: unknown): KeyInfoParse {
  const parsed = z.safeParse(keyInfoSchema, body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.filter((p) => p !== 'info').join('.') ?? '';
    return { ok: false, problem: path === '' ? 'the answer has no key information' : `${path} ${issue?.message ?? 'is not valid'}` };
  }
  const info = parsed.data.info;
  const table = info.litellm_budget_table ?? undefined;
  const maxBudget = info.max_budget ?? table?.max_budget ?? null;
  const reset = info.budget_reset_at ?? table?.budget_reset_at ?? null;
  return {
    ok: true,
    budget: {
      spendUsd: info.spend,
      maxBudgetUsd: maxBudget,
      remainingUsd: maxBudget === null ? null : Math.max(0, maxBudget - info.spend),
      softBudgetUsd: table?.soft_budget ?? null,
      budgetDuration: info.budget_duration ?? table?.budget_duration ?? null,
      resetsAt: reset === null ? null : new Date(Date.parse(reset)).toISOString(),
      keyAlias: info.key_alias ? info.key_alias.slice(0, 100) : null,
      teamId: info.team_id ? info.team_id.slice(0, 100) : null,
      blocked: info.blocked === true,
    },
  };
}
