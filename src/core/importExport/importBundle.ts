import * as z from 'zod/mini';
import { checkName, nameProblemReason, printableName } from '../../protocol/names';
import { uniqueName } from '../templates/names';
import { BUNDLE_FORMAT, BUNDLE_VERSION } from './bundle';
import { checkConfig, unknownProvider } from './checkEntry';
import { entryLabel, isRecord, megabytes, unsafeShape } from './safeInput';
import { withoutSecrets } from './secrets';
import { ImportFileError, type ImportedConfiguration, type ImportedTemplate, type ImportOptions, type ImportReport, type Rejection } from './types';

/** A bundle of thousands of configurations is a few megabytes; anything larger is not one of ours. */
export const MAX_BUNDLE_BYTES = 5 * 1024 * 1024;
const MAX_ENTRIES = 1000;

const text = (what: string, max: number) => z.string({ error: `${what} must be text` }).check(z.trim(), z.minLength(1, `${what} is empty`), z.maxLength(max, `${what} is longer than ${String(max)} characters`));
const settings = z.optional(z.record(z.string(), z.unknown(), { error: 'config must be an object of settings' }));

const BundleHeader = z.object({
  format: z.string({ error: 'format is missing' }),
  version: z.number({ error: (issue) => (issue.input === undefined ? 'version is missing' : 'version must be a number') }),
  configurations: z.optional(z.array(z.unknown(), { error: 'configurations must be a list' })),
  templates: z.optional(z.array(z.unknown(), { error: 'templates must be a list' })),
});

/** Names follow the one rule the service applies, so an entry the import accepts is one the service can create. */
const entryName = z.string({ error: 'name must be text' }).check(
  z.superRefine((value, ctx) => {
    const checked = checkName(value);
    if (!checked.ok) ctx.addIssue({ code: 'custom', message: nameProblemReason(checked.problem), input: value });
  }),
);

const ConfigurationEntry = z.object({
  name: entryName,
  provider: text('provider', 50),
  model: text('model', 200),
  baseUrl: z.optional(z.nullable(z.string({ error: 'baseUrl must be text' }))),
  config: settings,
  isActive: z.optional(z.boolean({ error: 'isActive must be true or false' })),
  hasApiKey: z.optional(z.boolean({ error: 'hasApiKey must be true or false' })),
  removedSecrets: z.optional(z.array(z.string())),
});

const TemplateEntry = z.object({
  name: entryName,
  provider: text('provider', 50),
  model: z.string({ error: 'model must be text' }),
  description: z.optional(z.string({ error: 'description must be text' }).check(z.maxLength(2000, 'description is longer than 2000 characters'))),
  config: settings,
});

/** Fields that would hold a key: a bundle never has them, so a present one is reported and dropped, never read. */
const KEY_FIELDS = ['apiKey', 'api_key', 'key', 'encryptedApiKey', 'encrypted_api_key'];

function parseFile(content: string): { configurations: unknown[]; templates: unknown[] } {
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > MAX_BUNDLE_BYTES) throw new ImportFileError(`The file is ${megabytes(bytes)}; a Model Manager bundle is at most ${megabytes(MAX_BUNDLE_BYTES)}. Choose a file made by "Export Configurations".`);
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    throw new ImportFileError('The file is not JSON. Choose a file made by "Export Configurations" (a .json bundle).');
  }
  if (!isRecord(value)) throw new ImportFileError('The file is JSON but not a Model Manager bundle (expected an object with "format": "model-manager-bundle").');
  if (value.format !== BUNDLE_FORMAT) {
    throw new ImportFileError('The file is not a Model Manager bundle (its "format" is not "model-manager-bundle"). Choose a file made by "Export Configurations".');
  }
  const header = z.safeParse(BundleHeader, value);
  if (!header.success) {
    // The format is ours, so say which field is wrong rather than that the file is something else.
    const problems = header.error.issues.map((issue) => `"${issue.path.map(String).join('.')}": ${issue.message}`);
    throw new ImportFileError(`The Model Manager bundle is malformed (${problems.join('; ')}). Export it again, or fix that field.`);
  }
  if (header.data.version !== BUNDLE_VERSION) {
    const newer = header.data.version > BUNDLE_VERSION;
    throw new ImportFileError(`The bundle has version ${String(header.data.version)}; this Model Manager reads version ${String(BUNDLE_VERSION)}.${newer ? ' Update the extension, then import again.' : ''}`);
  }
  const configurations = header.data.configurations ?? [];
  const templates = header.data.templates ?? [];
  if (configurations.length + templates.length > MAX_ENTRIES) throw new ImportFileError(`The bundle has ${String(configurations.length + templates.length)} entries; at most ${String(MAX_ENTRIES)} can be imported at once. Split it into smaller files.`);
  return { configurations, templates };
}

/** The entry's name as messages may show it: hidden characters written out, and cut short. */
function nameOf(raw: unknown): string | undefined {
  return isRecord(raw) && typeof raw.name === 'string' && raw.name.trim() !== '' ? printableName(raw.name.trim().slice(0, 100)) : undefined;
}

function zodReasons(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => i.message);
}

async function importConfiguration(raw: unknown, index: number, options: ImportOptions, names: string[]): Promise<ImportedConfiguration | Rejection> {
  const shown = nameOf(raw);
  const label = entryLabel(index, shown);
  const reject = (reasons: string[]): Rejection => ({ index, kind: 'configuration', ...(shown === undefined ? {} : { name: shown }), reasons: reasons.map((r) => `${label}: ${r}.`) });
  const shape = unsafeShape(raw);
  if (shape) return reject([shape]);
  if (!isRecord(raw)) return reject(['is not an object; each configuration is {"name", "provider", "model", ...}']);
  const notes: string[] = [];
  if (KEY_FIELDS.some((f) => f in raw)) notes.push('The bundle had a key field; it was ignored because bundles never carry keys. Enter the API key after import.');
  const parsed = z.safeParse(ConfigurationEntry, raw);
  if (!parsed.success) return reject(zodReasons(parsed.error.issues));
  const entry = parsed.data;
  if (!options.providers.includes(entry.provider)) return reject([unknownProvider(entry.provider, options)]);
  const { config: cleaned, removed } = withoutSecrets(entry.config ?? {});
  if (removed.length > 0) notes.push(`Left out ${removed.join(', ')}: credentials are never imported in plain text. Enter them again after import.`);
  for (const path of entry.removedSecrets ?? []) notes.push(`${path} was left out when this was exported; add it again if the server needs it.`);
  if (entry.hasApiKey === true) notes.push('This configuration had an API key: enter it again (bundles never carry keys).');
  const checked = await checkConfig(entry.provider, { ...cleaned, model: entry.model, ...(entry.baseUrl ? { baseUrl: entry.baseUrl } : {}) }, options);
  if ('reasons' in checked) return reject(checked.reasons);
  notes.push(...checked.notes);
  const name = uniqueName(entry.name.trim(), names);
  if (name !== entry.name.trim()) notes.push(`Imported as "${name}" because a configuration named "${entry.name}" already exists.`);
  names.push(name);
  return { name, provider: entry.provider, model: entry.model, baseUrl: entry.baseUrl ?? null, config: checked.config, ...(entry.isActive === undefined ? {} : { isActive: entry.isActive }), notes };
}

function importTemplate(raw: unknown, index: number, options: ImportOptions, names: string[]): ImportedTemplate | Rejection {
  const shown = nameOf(raw);
  const label = entryLabel(index, shown);
  const reject = (reasons: string[]): Rejection => ({ index, kind: 'template', ...(shown === undefined ? {} : { name: shown }), reasons: reasons.map((r) => `template ${label}: ${r}.`) });
  const shape = unsafeShape(raw);
  if (shape) return reject([shape]);
  const parsed = z.safeParse(TemplateEntry, raw);
  if (!parsed.success) return reject(zodReasons(parsed.error.issues));
  const entry = parsed.data;
  if (!options.providers.includes(entry.provider)) return reject([unknownProvider(entry.provider, options)]);
  const name = uniqueName(entry.name.trim(), names);
  names.push(name);
  return { provider: entry.provider, name, model: entry.model, description: entry.description ?? '', config: withoutSecrets(entry.config ?? {}).config };
}

/**
 * Reads a bundle made by "Export Configurations". Each entry is checked on its own (shape, provider, the provider's
 * schema); a bad entry is rejected with its reasons and the rest still import. A name already in use gets " (2)"
 * rather than rejecting the entry, since the user asked for it to be imported. Throws ImportFileError when the file
 * as a whole cannot be read.
 */
export async function importBundle(content: string, options: ImportOptions): Promise<ImportReport> {
  const file = parseFile(content);
  const names = [...options.existingNames];
  const templateNames = [...(options.existingTemplateNames ?? [])];
  const imported: ImportedConfiguration[] = [];
  const templates: ImportedTemplate[] = [];
  const rejected: Rejection[] = [];
  for (const [i, raw] of file.configurations.entries()) {
    const result = await importConfiguration(raw, i + 1, options, names);
    if ('reasons' in result) rejected.push(result);
    else imported.push(result);
  }
  for (const [i, raw] of file.templates.entries()) {
    const result = importTemplate(raw, i + 1, options, templateNames);
    if ('reasons' in result) rejected.push(result);
    else templates.push(result);
  }
  return { imported, templates, rejected };
}
