import * as z from 'zod/mini';
import { jsonSchemaText, parsedSchema, stopSequences } from './fields';

/**
 * Extended thinking, effort, structured output, stop sequences and prompt caching: the Messages API's own parameters
 * (https://platform.claude.com/docs/en/build-with-claude/extended-thinking, …/prompt-caching, …/structured-outputs).
 */
export const anthropicOptionFields = {
  /** enabled: think within thinkingBudget; adaptive: the model decides how much (newer models); disabled: never. */
  thinking: z.optional(z.enum(['enabled', 'adaptive', 'disabled'], { error: 'must be enabled, adaptive or disabled' })),
  /** thinking.budget_tokens: at least 1,024 and below maxTokens; setting it turns thinking on. */
  thinkingBudget: z.optional(z.int({ error: 'must be a whole number of tokens' }).check(z.gte(1024, 'must be at least 1024 tokens (the API’s minimum)'))),
  /** output_config.effort, where the model supports it (its /v1/models capabilities say). */
  effort: z.optional(z.enum(['low', 'medium', 'high', 'xhigh', 'max'], { error: 'must be low, medium, high, xhigh or max' })),
  /** output_config.format: answers are JSON that follows this schema. */
  jsonSchema: jsonSchemaText(),
  stopSequences: stopSequences(),
  /** auto: cache breakpoints on the system prompt and the conversation once the prompt is long enough to gain from it. */
  promptCaching: z.optional(z.enum(['auto', 'off'], { error: 'must be auto or off' })),
};

interface OptionSettings {
  readonly maxTokens: number;
  readonly temperature?: number | undefined;
  readonly topP?: number | undefined;
  readonly topK?: number | undefined;
  readonly thinking?: 'enabled' | 'adaptive' | 'disabled' | undefined;
  readonly thinkingBudget?: number | undefined;
  readonly effort?: string | undefined;
  readonly jsonSchema?: string | undefined;
  readonly stopSequences?: readonly string[] | undefined;
}

/** Thinking is on when chosen, or when a budget is set and nothing says otherwise. */
export function thinkingMode(c: OptionSettings): 'enabled' | 'adaptive' | undefined {
  if (c.thinking === 'disabled') return undefined;
  return c.thinking ?? (c.thinkingBudget === undefined ? undefined : 'enabled');
}

/** What extended thinking forbids, as refinements on the fields the user must change. */
export const anthropicOptionRules = [
  z.refine<OptionSettings>((c) => !(c.thinking === 'enabled' && c.thinkingBudget === undefined), { error: 'set a thinking budget (at least 1024 tokens) to turn extended thinking on', path: ['thinkingBudget'] }),
  z.refine<OptionSettings>((c) => thinkingMode(c) !== 'enabled' || c.thinkingBudget === undefined || c.thinkingBudget < c.maxTokens, {
    error: 'must be less than maxTokens: the budget is part of the answer’s max_tokens (raise maxTokens or lower the budget)',
    path: ['thinkingBudget'],
  }),
  z.refine<OptionSettings>((c) => thinkingMode(c) === undefined || c.temperature === undefined || c.temperature === 1, { error: 'must be empty (or 1) while extended thinking is on', path: ['temperature'] }),
  z.refine<OptionSettings>((c) => thinkingMode(c) === undefined || c.topK === undefined, { error: 'must be empty while extended thinking is on', path: ['topK'] }),
  z.refine<OptionSettings>((c) => thinkingMode(c) === undefined || c.topP === undefined || c.topP >= 0.95, { error: 'must be from 0.95 to 1 while extended thinking is on', path: ['topP'] }),
] as const;

/**
 * The body fields these options add. With thinking on, a caller's temperature (VS Code's model options) is left out,
 * since the API refuses it, and max_tokens is raised above the budget so that the answer keeps its own room.
 */
export function anthropicOptionBody(c: OptionSettings, maxTokens: number): Record<string, unknown> {
  const mode = thinkingMode(c);
  const schema = parsedSchema(c.jsonSchema);
  const outputConfig = { ...(c.effort === undefined ? {} : { effort: c.effort }), ...(schema ? { format: { type: 'json_schema', schema } } : {}) };
  const budget = c.thinkingBudget ?? 0;
  return {
    ...(mode === 'enabled' ? { thinking: { type: 'enabled', budget_tokens: budget }, max_tokens: maxTokens <= budget ? budget + maxTokens : maxTokens } : {}),
    ...(mode === 'adaptive' ? { thinking: { type: 'adaptive' } } : {}),
    ...(c.thinking === 'disabled' ? { thinking: { type: 'disabled' } } : {}),
    ...(Object.keys(outputConfig).length > 0 ? { output_config: outputConfig } : {}),
    ...(c.stopSequences?.length ? { stop_sequences: c.stopSequences } : {}),
  };
}
