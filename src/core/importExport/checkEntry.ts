import { UNKNOWN_SETTING } from '../providers/registry';
import type { ConfigCheck, ImportOptions } from './types';

/** "temperature must be at most 2" from the provider schema's field errors. */
export function fieldErrors(check: Extract<ConfigCheck, { ok: false }>): string[] {
  return check.errors.map((e) => (e.field === '' ? e.message : `${e.field} ${e.message}`));
}

export function unknownProvider(provider: string, options: ImportOptions): string {
  return `unknown provider "${provider}"; use one of ${options.providers.join(', ')}`;
}

/**
 * Checks settings with the provider's own schema; returns the normalised settings or the reasons they fail. A
 * setting this version does not have (a file written by a newer one) is left out with a note naming it, never lost
 * in silence.
 */
export async function checkConfig(
  provider: string,
  config: Readonly<Record<string, unknown>>,
  options: ImportOptions,
): Promise<{ config: Record<string, unknown>; notes: string[] } | { reasons: string[] }> {
  let check = await options.validateConfig(provider, config);
  const notes: string[] = [];
  if (!check.ok) {
    const unknown = check.errors.filter((e) => e.message === UNKNOWN_SETTING && e.field !== '').map((e) => e.field);
    if (unknown.length > 0) {
      check = await options.validateConfig(provider, withoutPaths(config, unknown));
      notes.push(`Left out ${unknown.join(', ')}: this version of Model Manager has no such ${unknown.length > 1 ? 'settings' : 'setting'} for ${provider} (the file may come from a newer version). Check the configuration after import.`);
    }
  }
  if (!check.ok) return { reasons: fieldErrors(check) };
  const normalised = check.config;
  return { config: normalised !== null && typeof normalised === 'object' && !Array.isArray(normalised) ? { ...(normalised as Record<string, unknown>) } : { ...config }, notes };
}

/** A copy without the dotted paths ("repeatPenalty", "safetySettings.0.extra"); the input is left as it was. */
function withoutPaths(value: Readonly<Record<string, unknown>>, paths: readonly string[]): Record<string, unknown> {
  const copy = structuredClone(value) as Record<string, unknown>;
  for (const path of paths) {
    const parts = path.split('.');
    const last = parts.pop() ?? '';
    let parent: unknown = copy;
    for (const part of parts) parent = parent !== null && typeof parent === 'object' ? (parent as Record<string, unknown>)[part] : undefined;
    if (parent !== null && typeof parent === 'object' && Object.hasOwn(parent, last)) Reflect.deleteProperty(parent, last);
  }
  return copy;
}
