import * as z from 'zod/mini';
import type { CatalogData, MatchRule } from './types';

const leafKeys = ['equals', 'starts_with', 'ends_with', 'contains', 'regex'] as const;

/** A matching rule, nested at most a few levels deep as the package writes them. */
export function isMatchRule(value: unknown, depth = 0): value is MatchRule {
  if (depth > 8 || typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  if (entries.length !== 1) return false;
  const [key, inner] = entries[0] ?? [];
  if (key === 'or' || key === 'and') return Array.isArray(inner) && inner.every((r) => isMatchRule(r, depth + 1));
  return (leafKeys as readonly (string | undefined)[]).includes(key) && typeof inner === 'string';
}

const rule = z.custom<MatchRule>((v) => isMatchRule(v), 'must be a model-matching rule');
const price = z.union([
  z.number().check(z.gte(0)),
  z.object({ base: z.number().check(z.gte(0)), tiers: z.array(z.object({ start: z.int().check(z.gte(0)), price: z.number().check(z.gte(0)) })) }),
]);

const CatalogDataSchema = z.object({
  source: z.string().check(z.minLength(1)),
  providers: z.array(z.object({
    id: z.string().check(z.minLength(1)),
    name: z.string(),
    apiPattern: z.string(),
    modelMatch: z.optional(rule),
    models: z.array(z.object({
      id: z.string().check(z.minLength(1)),
      name: z.optional(z.string()),
      match: z.optional(rule),
      contextWindow: z.optional(z.int().check(z.gte(1))),
      deprecated: z.optional(z.boolean()),
      media: z.optional(z.array(z.string())),
      prices: z.array(z.object({
        from: z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/))),
        input: z.optional(price),
        output: z.optional(price),
        cachedInput: z.optional(price),
        cacheWrite: z.optional(price),
      })).check(z.minLength(1)),
    })),
  })),
});

/** Validates catalog data read from disk; the message says which field is wrong. */
export function parseCatalogData(value: unknown): CatalogData {
  const result = z.safeParse(CatalogDataSchema, value);
  if (result.success) return result.data as CatalogData;
  const issue = result.error.issues[0];
  const where = issue ? issue.path.map(String).join('.') : '';
  throw new Error(`The model catalog is damaged (${where || 'top level'}: ${issue?.message ?? 'invalid'}). Reinstall the extension to restore it.`);
}
