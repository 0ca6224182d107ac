import * as z from 'zod/mini';
import { jsonSchemaText, parsedSchema, seed, stopSequences } from './fields';

/** @google/genai 3.3 ThinkingLevel (Gemini 3 models; each refuses the levels it lacks). */
export const geminiThinkingLevels = ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH', 'XHIGH'] as const;

/**
 * Thinking and structured output (https://ai.google.dev/gemini-api/docs/thinking, …/structured-output) and the
 * common knobs of generationConfig (https://ai.google.dev/api/generate-content#generationconfig).
 */
export const geminiOptionFields = {
  /** thinkingConfig.thinkingBudget (Gemini 2.5): -1 dynamic, 0 off (Flash), up to 32,768 (2.5 Pro's maximum). */
  thinkingBudget: z.optional(z.int({ error: 'must be a whole number of tokens, or -1 for dynamic' }).check(z.gte(-1, 'must be -1 (dynamic), 0 (off) or a number of tokens'), z.lte(32_768, 'must be at most 32768 tokens'))),
  /** thinkingConfig.thinkingLevel (Gemini 3). */
  thinkingLevel: z.optional(z.enum(geminiThinkingLevels, { error: `must be one of ${geminiThinkingLevels.join(', ')}` })),
  /** thinkingConfig.includeThoughts: the answer streams a summary of the model's thoughts. */
  includeThoughts: z.optional(z.boolean({ error: 'must be true or false' })),
  /** responseMimeType: application/json for JSON answers (text/x.enum for one of a schema's enum values). */
  responseMimeType: z.optional(z.enum(['text/plain', 'application/json', 'text/x.enum'], { error: 'must be text/plain, application/json or text/x.enum' })),
  /** responseJsonSchema: answers follow this JSON Schema (implies application/json). */
  responseJsonSchema: jsonSchemaText(),
  /** stopSequences: up to 5. */
  stopSequences: stopSequences(5),
  seed: seed(-2_147_483_648, 2_147_483_647),
};

interface OptionSettings {
  readonly thinkingBudget?: number | undefined;
  readonly thinkingLevel?: string | undefined;
  readonly includeThoughts?: boolean | undefined;
  readonly responseMimeType?: string | undefined;
  readonly responseJsonSchema?: string | undefined;
  readonly stopSequences?: readonly string[] | undefined;
  readonly seed?: number | undefined;
}

export const geminiOptionRules = [
  // The API answers 400 when both are set.
  z.refine<OptionSettings>((c) => c.thinkingBudget === undefined || c.thinkingLevel === undefined, { error: 'set a thinking budget or a thinking level, not both', path: ['thinkingLevel'] }),
  z.refine<OptionSettings>((c) => c.responseJsonSchema === undefined || c.responseMimeType === undefined || c.responseMimeType !== 'text/plain', { error: 'a response schema needs application/json (or leave this empty)', path: ['responseMimeType'] }),
] as const;

/** The generationConfig fields these options set. */
export function geminiGenerationOptions(c: OptionSettings): Record<string, unknown> {
  const thinkingConfig = {
    ...(c.thinkingBudget === undefined ? {} : { thinkingBudget: c.thinkingBudget }),
    ...(c.thinkingLevel === undefined ? {} : { thinkingLevel: c.thinkingLevel }),
    ...(c.includeThoughts === undefined ? {} : { includeThoughts: c.includeThoughts }),
  };
  const schema = parsedSchema(c.responseJsonSchema);
  const mime = c.responseMimeType ?? (schema ? 'application/json' : undefined);
  return {
    ...(Object.keys(thinkingConfig).length > 0 ? { thinkingConfig } : {}),
    ...(mime === undefined ? {} : { responseMimeType: mime }),
    ...(schema ? { responseJsonSchema: schema } : {}),
    ...(c.stopSequences?.length ? { stopSequences: c.stopSequences } : {}),
    ...(c.seed === undefined ? {} : { seed: c.seed }),
  };
}
