import { useEffect, useState } from 'preact/hooks';
import type { FieldError, ProviderView } from '../../src/protocol';
import { checkName } from '../../src/protocol/names';
import type { ProviderSchema } from '../stores/ProviderStore';
import { strings } from '../strings';

/** What the user typed, as text, before it becomes a provider's settings. */
export interface FormState {
  readonly name: string;
  /** A newly typed key; empty means "keep the stored one" when editing. */
  readonly apiKey: string;
  readonly values: Readonly<Record<string, string>>;
  readonly headers: readonly (readonly [string, string])[];
}

/** The fields a component lays out itself rather than the generic form. */
export const OWN_FIELDS = new Set(['model', 'headers', 'extraParams', 'preset']);

/** The one name rule the host applies, checked as the user types; `required` is what to say when the field is empty. */
export function nameError(name: string, required: string = strings.nameRequired): string | undefined {
  const checked = checkName(name);
  if (checked.ok) return undefined;
  const problem = checked.problem;
  switch (problem.kind) {
    case 'empty':
      return required;
    case 'too-long':
      return strings.nameTooLong(problem.max, problem.length);
    case 'hidden-character':
      return strings.nameHidden(problem.character);
  }
}

export function emptyForm(provider: ProviderView | undefined): FormState {
  return {
    name: '',
    apiKey: '',
    values: { ...(provider?.preset ? { preset: provider.preset } : {}), ...(provider?.baseUrl ? { baseUrl: provider.baseUrl } : {}) },
    headers: [],
  };
}

export function formFromSettings(name: string, settings: Readonly<Record<string, unknown>>): FormState {
  const values: Record<string, string> = {};
  let headers: (readonly [string, string])[] = [];
  for (const [key, value] of Object.entries(settings)) {
    if (key === 'headers' && value && typeof value === 'object') headers = Object.entries(value).map(([k, v]) => [k, String(v)] as const);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') values[key] = String(value);
    // Lists such as Gemini's safetySettings travel as JSON text; their own component edits them.
    else if (Array.isArray(value) && key !== 'extraParams') values[key] = JSON.stringify(value);
  }
  return { name, apiKey: '', values, headers };
}

/** The settings to send: numbers where the schema wants numbers (text the host will refuse stays text), blanks left out. */
export function settingsFromForm(schema: ProviderSchema, form: FormState, keep?: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties)) {
    if (name === 'headers' || name === 'extraParams') continue;
    const raw = (form.values[name] ?? '').trim();
    if (raw === '') continue;
    if (property.type === 'number' || property.type === 'integer') {
      const n = Number(raw);
      settings[name] = Number.isFinite(n) ? n : raw;
    } else if (property.type === 'boolean') {
      settings[name] = raw === 'true' ? true : raw === 'false' ? false : raw;
    } else if (property.type === 'array') {
      settings[name] = parseList(raw);
    } else {
      settings[name] = raw;
    }
  }
  if ('headers' in schema.properties) {
    const headers = form.headers.filter(([k]) => k.trim() !== '');
    if (headers.length > 0) settings.headers = Object.fromEntries(headers.map(([k, v]) => [k.trim(), v]));
  }
  // Settings this form does not edit (e.g. extraParams from a template) are kept as they were.
  if (keep?.extraParams !== undefined && 'extraParams' in schema.properties) settings.extraParams = keep.extraParams;
  return settings;
}

/** JSON text as a list; text that is not one stays text, for the host's validator to refuse by name. */
function parseList(raw: string): unknown {
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed : raw;
  } catch {
    return raw;
  }
}

/** Only what decides which server answers and who asks: enough to list models without the rest being valid. */
export function connectionSettings(settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['baseUrl', 'preset', 'headers', 'organization', 'project']) if (settings[key] !== undefined) out[key] = settings[key];
  return out;
}

export function errorsByField(errors: readonly FieldError[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) out[e.field] ??= e.message;
  return out;
}

/**
 * ConfigurationValidator: asks the host (the same zod rules it applies on save) ~150 ms after the user stops
 * typing, and keeps the latest answer.
 */
export function useConfigurationValidator(
  validate: (params: { provider: string; settings: Record<string, unknown> }) => Promise<{ ok: boolean; errors: FieldError[] }>,
  provider: string,
  settings: Record<string, unknown>,
): readonly FieldError[] {
  const [checked, setChecked] = useState<{ settings: Record<string, unknown>; errors: readonly FieldError[] }>({ settings: {}, errors: [] });
  const key = JSON.stringify(settings);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      validate({ provider, settings }).then(
        (result) => {
          if (live) setChecked({ settings, errors: result.errors });
        },
        () => undefined,
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [validate, provider, key]);
  // An error stands only while its field still holds the value it was found in: a fix hides it at once.
  return checked.errors.filter((e) => {
    const top = e.field.split('.')[0] ?? e.field;
    return JSON.stringify(settings[top]) === JSON.stringify(checked.settings[top]);
  });
}
