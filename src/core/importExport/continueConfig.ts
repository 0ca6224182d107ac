import { checkName, fitName, nameProblemReason, printableName } from '../../protocol/names';
import { uniqueName } from '../templates/names';
import { checkConfig } from './checkEntry';
import { extractKey, isTemplateValue } from './continueKeys';
import { continueTarget, optionFields, quietlyDropped } from './continueProviders';
import { entryLabel, isRecord, megabytes, unsafeShape } from './safeInput';
import { ImportFileError, type ImportedConfiguration, type ImportOptions, type ImportReport, type Rejection } from './types';

/** Continue's config files are a few kilobytes. */
export const MAX_CONTINUE_BYTES = 1024 * 1024;
const MAX_MODELS = 500;

/** Roles that mean "a model to talk to"; a model Continue only uses to embed or rerank is not one. */
const CHAT_ROLES = new Set(['chat', 'edit', 'apply', 'summarize']);

async function readFile(content: string): Promise<unknown[]> {
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > MAX_CONTINUE_BYTES) throw new ImportFileError(`The file is ${megabytes(bytes)}; a Continue config is at most ${megabytes(MAX_CONTINUE_BYTES)}. Choose ~/.continue/config.yaml (or config.json).`);
  // Loaded on first import only: the parser is 114 KB minified, more than a third of the extension's bundle budget.
  const { parse: parseYaml } = await import('yaml');
  let value: unknown;
  try {
    // YAML 1.2 core schema: JSON is YAML, so config.json reads the same way; no custom tags, aliases capped. Warnings
    // stay off: the parser would print the offending source line (a key included) as a process warning.
    value = parseYaml(content, { schema: 'core', customTags: [], merge: true, maxAliasCount: 100, uniqueKeys: true, prettyErrors: true, logLevel: 'error' });
  } catch (error) {
    const where = error instanceof Error && 'linePos' in error && Array.isArray(error.linePos) ? ` (${firstLine(error.message)})` : '';
    throw new ImportFileError(`The file is not valid YAML or JSON${where}. Fix it in Continue, then import again.`);
  }
  if (!isRecord(value) || !Array.isArray(value.models)) throw new ImportFileError('The file has no "models" list. Choose Continue\'s config.yaml (or its older config.json) with at least one model.');
  if (value.models.length > MAX_MODELS) throw new ImportFileError(`The file lists ${String(value.models.length)} models; at most ${String(MAX_MODELS)} can be imported at once.`);
  return value.models as unknown[];
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.slice(0, 200) ?? '';
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Continue's completion options mapped onto the provider's fields; the rest named in a note. */
function mapOptions(provider: string, options: Readonly<Record<string, unknown>>, notes: string[]): Record<string, unknown> {
  const fields = optionFields[provider] ?? {};
  const mapped: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(options)) {
    const field = fields[name];
    if (field !== undefined) Object.defineProperty(mapped, field, { value, enumerable: true, writable: true, configurable: true });
    else if (!quietlyDropped.has(name)) dropped.push(name);
  }
  if (dropped.length > 0) notes.push(`Continue's ${dropped.join(', ')} ${dropped.length > 1 ? 'have' : 'has'} no equivalent setting here and ${dropped.length > 1 ? 'were' : 'was'} left out.`);
  return mapped;
}

/** Our Messages adapter adds /v1 itself; Continue's Anthropic apiBase usually ends with it. */
function baseUrlFor(provider: string, apiBase: string): string {
  return provider === 'anthropic' ? apiBase.replace(/\/v1\/?$/, '') : apiBase;
}

interface Mapped {
  readonly provider: string;
  readonly baseUrl: string | null;
  readonly preset?: string;
}

function target(providerName: string, apiBase: string | undefined): Mapped | string {
  const t = continueTarget(providerName);
  if (t.kind === 'native') {
    // Continue's way to reach any OpenAI-compatible server is provider "openai" with its own apiBase.
    if (t.provider === 'openai' && apiBase !== undefined && !/^https:\/\/api\.openai\.com(?:\/|$)/.test(apiBase)) return { provider: 'openai-compatible', baseUrl: apiBase };
    return { provider: t.provider, baseUrl: apiBase === undefined ? null : baseUrlFor(t.provider, apiBase) };
  }
  if (t.kind === 'preset') return { provider: 'openai-compatible', baseUrl: apiBase ?? t.baseUrl, preset: t.preset };
  if (t.kind === 'compatible') {
    if (apiBase !== undefined) return { provider: 'openai-compatible', baseUrl: apiBase };
    return `Continue's "${providerName}" provider has no preset here: add its apiBase (the server's OpenAI-compatible URL) in config.yaml and import again, or add it as an OpenAI-compatible configuration`;
  }
  return `provider "${providerName}" is not supported: Model Manager speaks OpenAI, Gemini, Anthropic, Ollama and OpenAI-compatible servers (LM Studio, vLLM, OpenRouter, Groq, Together)`;
}

async function importModel(raw: unknown, index: number, options: ImportOptions, names: string[]): Promise<ImportedConfiguration | Rejection> {
  const given = isRecord(raw) ? (str(raw.name) ?? str(raw.title)) : undefined;
  const uses = isRecord(raw) ? str(raw.uses) : undefined;
  const shown = given === undefined ? (uses === undefined ? undefined : printableName(`uses ${uses}`)) : printableName(given.slice(0, 100));
  const label = entryLabel(index, shown);
  const reject = (reasons: string[]): Rejection => ({ index, kind: 'configuration', ...(shown === undefined ? {} : { name: shown }), reasons: reasons.map((r) => `${label}: ${r}.`) });
  const shape = unsafeShape(raw);
  if (shape) return reject([shape]);
  if (!isRecord(raw)) return reject(['is not a model entry (expected name, provider and model)']);
  if (raw.uses !== undefined) return reject(['is a Continue Hub block, which Model Manager cannot read: copy its provider and model into config.yaml, or add it by hand']);
  const providerName = str(raw.provider);
  const model = str(raw.model);
  if (providerName === undefined) return reject(['has no provider: add `provider:` (for example openai or ollama)']);
  if (model === undefined) return reject(['has no model: add `model:` with the model id']);
  if (model.toUpperCase() === 'AUTODETECT') return reject(['uses AUTODETECT: add the server here and choose a model from its list']);
  const roles = Array.isArray(raw.roles) ? raw.roles.filter((r): r is string => typeof r === 'string') : undefined;
  if (roles !== undefined && roles.length > 0 && !roles.some((r) => CHAT_ROLES.has(r) || r === 'autocomplete')) {
    return reject([`Continue uses it only to ${roles.join(' and ')}: Model Manager configures models to chat with`]);
  }
  const apiBase = str(raw.apiBase);
  if (apiBase !== undefined && isTemplateValue(apiBase)) return reject(['its apiBase is a template value: write the URL itself in config.yaml and import again']);
  const mapped = target(providerName, apiBase);
  if (typeof mapped === 'string') return reject([mapped]);
  if (!options.providers.includes(mapped.provider)) return reject([`provider "${mapped.provider}" is not available in this version of Model Manager`]);

  const notes: string[] = [];
  if (roles !== undefined && roles.length > 0 && !roles.some((r) => CHAT_ROLES.has(r))) notes.push('Continue used this model for autocomplete only.');
  const requestOptions = isRecord(raw.requestOptions) ? raw.requestOptions : {};
  const keys = extractKey(raw.apiKey, isRecord(requestOptions.headers) ? requestOptions.headers : {});
  notes.push(...keys.notes);
  const headerNames = Object.keys(keys.headers);
  if (headerNames.length > 0 && mapped.provider !== 'openai-compatible') notes.push(`Request headers (${headerNames.join(', ')}) are kept only for OpenAI-compatible servers and were left out.`);
  const stated = isRecord(raw.defaultCompletionOptions) ? raw.defaultCompletionOptions : isRecord(raw.completionOptions) ? raw.completionOptions : {};
  // config.json kept contextLength on the model itself; config.yaml moved it into the completion options.
  const completion = raw.contextLength !== undefined && stated.contextLength === undefined ? { ...stated, contextLength: raw.contextLength } : stated;
  const config: Record<string, unknown> = {
    ...mapOptions(mapped.provider, completion, notes),
    model,
    ...(mapped.baseUrl === null ? {} : { baseUrl: mapped.baseUrl }),
    ...(mapped.preset === undefined ? {} : { preset: mapped.preset }),
    ...(headerNames.length > 0 && mapped.provider === 'openai-compatible' ? { headers: keys.headers } : {}),
  };
  // A name from the file follows the one name rule; one made up from provider and model is cut to fit it.
  const named = checkName(given ?? fitName(`${providerName} ${model}`));
  if (!named.ok) return reject([nameProblemReason(named.problem)]);
  const checked = await checkConfig(mapped.provider, config, options);
  if ('reasons' in checked) return reject(checked.reasons);
  notes.push(...checked.notes);
  const wanted = named.name;
  const name = uniqueName(wanted, names);
  if (name !== wanted) notes.push(`Imported as "${name}" because a configuration named "${wanted}" already exists.`);
  names.push(name);
  return { name, provider: mapped.provider, model, baseUrl: mapped.baseUrl, config: checked.config, ...(keys.apiKey ? { apiKey: keys.apiKey } : {}), notes };
}

/**
 * Reads the models of Continue's config.yaml (or its older config.json, whose entries have `title` and
 * `completionOptions`). Each model becomes a draft or a rejection with its reasons; a literal key is returned as a
 * SecretText for the service to encrypt. Throws ImportFileError when the file as a whole cannot be read.
 */
export async function importContinueConfig(content: string, options: ImportOptions): Promise<ImportReport> {
  const models = await readFile(content);
  const names = [...options.existingNames];
  const imported: ImportedConfiguration[] = [];
  const rejected: Rejection[] = [];
  for (const [i, raw] of models.entries()) {
    const result = await importModel(raw, i + 1, options, names);
    if ('reasons' in result) rejected.push(result);
    else imported.push(result);
  }
  return { imported, templates: [], rejected };
}
