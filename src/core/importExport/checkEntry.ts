import type { ConfigCheck, ImportOptions } from './types';

/** "temperature must be at most 2" from the provider schema's field errors. */
export function fieldErrors(check: Extract<ConfigCheck, { ok: false }>): string[] {
  return check.errors.map((e) => (e.field === '' ? e.message : `${e.field} ${e.message}`));
}

export function unknownProvider(provider: string, options: ImportOptions): string {
  return `unknown provider "${provider}"; use one of ${options.providers.join(', ')}`;
}

/** Checks settings with the provider's own schema; returns the normalised settings or the reasons they fail. */
export async function checkConfig(provider: string, config: Readonly<Record<string, unknown>>, options: ImportOptions): Promise<{ config: Record<string, unknown> } | { reasons: string[] }> {
  const check = await options.validateConfig(provider, config);
  if (!check.ok) return { reasons: fieldErrors(check) };
  const normalised = check.config;
  return { config: normalised !== null && typeof normalised === 'object' && !Array.isArray(normalised) ? { ...(normalised as Record<string, unknown>) } : { ...config } };
}
