import type { ConfigurationView } from '../../src/protocol';
import { formFromSettings, type FormState } from './form';

/** Whether two saved versions show the same in the form (a new test status, a rotated key or a new updatedAt do not count). */
export function sameContent(a: ConfigurationView, b: ConfigurationView): boolean {
  return a.name === b.name && a.isActive === b.isActive && stable(a.settings) === stable(b.settings);
}

export interface SavedMerge {
  readonly form: FormState;
  readonly enabled: boolean;
  /** The user had unsaved edits, which were kept over the newer saved values. */
  readonly kept: boolean;
}

/**
 * A newer saved version arrived while the form was open: every field the user has not changed since `base` takes
 * the saved value; every field they changed keeps what they typed. The typed key is never touched.
 */
export function mergeSaved(input: { readonly base: ConfigurationView; readonly latest: ConfigurationView; readonly form: FormState; readonly enabled: boolean }): SavedMerge {
  const { base, latest, form, enabled } = input;
  const before = formFromSettings(base.name, base.settings);
  const after = formFromSettings(latest.name, latest.settings);
  let kept = false;
  const pick = (typed: string, was: string, now: string): string => {
    if (typed === was) return now;
    kept = true;
    return typed;
  };
  const name = pick(form.name, before.name, after.name);
  const values: Record<string, string> = {};
  for (const key of new Set([...Object.keys(before.values), ...Object.keys(after.values), ...Object.keys(form.values)])) {
    const value = pick(form.values[key] ?? '', before.values[key] ?? '', after.values[key] ?? '');
    if (value !== '' || key in form.values) values[key] = value;
  }
  const headersTouched = stable(form.headers) !== stable(before.headers);
  if (headersTouched) kept = true;
  const enabledTouched = enabled !== base.isActive;
  if (enabledTouched) kept = true;
  return {
    form: { name, apiKey: form.apiKey, values, headers: headersTouched ? form.headers : after.headers },
    enabled: enabledTouched ? enabled : latest.isActive,
    kept,
  };
}

/** JSON with object keys sorted, so the same settings in another order compare equal. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}
