import { checkName, nameProblemReason, printableName } from '../../protocol/names';
import { checkConfig } from '../importExport/checkEntry';
import { entryLabel, isRecord, ownValue, unsafeShape } from '../importExport/safeInput';
import type { ImportedConfiguration, ImportOptions, ImportReport, Rejection } from '../importExport/types';
import type { RouteGroupSettings, RouteStrategy } from '../store/types';
import { uniqueName } from '../templates/names';
import { entryDraft, type EntryDraft } from './litellmEntry';
import { litellmStrategies } from './litellmParams';
import { readLiteLLMYaml } from './litellmYaml';

export { MAX_LITELLM_BYTES } from './litellmYaml';

/** A route group to create once its member configurations exist; members are named by their imported names. */
export interface ImportedGroup {
  readonly name: string;
  readonly strategy: RouteStrategy;
  readonly members: readonly { readonly configuration: string; readonly weight?: number }[];
  readonly settings: RouteGroupSettings;
}

export interface LiteLLMImportReport extends ImportReport {
  readonly groups: readonly ImportedGroup[];
  /** About the file as a whole: router settings left out, fallbacks that name unknown models. */
  readonly notes: readonly string[];
}

interface Deployment {
  readonly index: number;
  readonly modelName: string;
  readonly draft: EntryDraft & { readonly config: Record<string, unknown> };
  /** Provider, address and settings: two deployments with the same signature are the same configuration. */
  readonly signature: string;
}

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (isRecord(value)) return Object.fromEntries(Object.keys(value).sort().map((k) => [k, stable(value[k])]));
  return value;
}

const fromLiteLLM: Readonly<Record<string, RouteStrategy>> = Object.fromEntries(Object.entries(litellmStrategies).map(([ours, theirs]) => [theirs, ours as RouteStrategy]));

async function readDeployment(raw: unknown, index: number, options: ImportOptions): Promise<Deployment | Rejection> {
  const given = isRecord(raw) && typeof raw.model_name === 'string' ? raw.model_name : undefined;
  const shown = given === undefined ? undefined : printableName(given.slice(0, 100));
  const label = entryLabel(index, shown);
  const reject = (reasons: string[]): Rejection => ({ index, kind: 'configuration', ...(shown === undefined ? {} : { name: shown }), reasons: reasons.map((r) => `${label}: ${r}.`) });
  const shape = unsafeShape(raw);
  if (shape) return reject([shape]);
  if (!isRecord(raw)) return reject(['is not a model entry (expected model_name and litellm_params)']);
  if (given === undefined) return reject(['has no model_name: add the name clients ask the proxy for']);
  const named = checkName(given);
  if (!named.ok) return reject([nameProblemReason(named.problem)]);
  if (!isRecord(raw.litellm_params)) return reject(['has no litellm_params mapping (with model, api_base, api_key)']);
  const draft = entryDraft(raw.litellm_params, raw.model_info);
  if ('reasons' in draft) return reject(draft.reasons);
  if (!options.providers.includes(draft.provider)) return reject([`provider "${draft.provider}" is not available in this version of Model Manager`]);
  const checked = await checkConfig(draft.provider, draft.config, options);
  if ('reasons' in checked) return reject(checked.reasons);
  const config = checked.config;
  return { index, modelName: named.name, draft: { ...draft, config, notes: [...draft.notes, ...checked.notes] }, signature: JSON.stringify(stable({ provider: draft.provider, config })) };
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** LiteLLM's fallbacks: a list of one-key mappings {model_name: [fallback model_names]}. */
function readFallbacks(root: Record<string, unknown>, notes: string[]): { from: string; to: string[] }[] {
  const router = isRecord(root.router_settings) ? root.router_settings : {};
  const module = isRecord(root.litellm_settings) ? root.litellm_settings : {};
  const raw = router.fallbacks ?? module.fallbacks;
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    notes.push('fallbacks is not a list of {model_name: [fallback model_names]}; no fallback group was made from it.');
    return [];
  }
  const result: { from: string; to: string[] }[] = [];
  for (const [i, item] of raw.entries()) {
    const entries = isRecord(item) ? Object.entries(item) : [];
    const [first] = entries;
    if (entries.length !== 1 || first === undefined || !Array.isArray(first[1]) || !first[1].every((t) => typeof t === 'string')) {
      notes.push(`fallbacks entry ${String(i + 1)} is not {model_name: [fallback model_names]}; it was left out.`);
      continue;
    }
    result.push({ from: first[0], to: first[1] });
  }
  return result;
}

function groupSettings(root: Record<string, unknown>, notes: string[]): RouteGroupSettings {
  const router = isRecord(root.router_settings) ? root.router_settings : {};
  const failures = positiveInt(router.allowed_fails);
  const cooldown = positiveInt(router.cooldown_time);
  for (const key of ['allowed_fails', 'cooldown_time'] as const) {
    if (router[key] !== undefined && positiveInt(router[key]) === undefined) notes.push(`router_settings.${key} is not a positive whole number; the groups keep Model Manager's default.`);
  }
  return { ...(failures === undefined ? {} : { cooldownFailures: failures, cooldownWindowSeconds: 60 }), ...(cooldown === undefined ? {} : { cooldownSeconds: cooldown }) };
}

/**
 * Reads a LiteLLM proxy config.yaml: each distinct deployment becomes a configuration (named by its model_name), a
 * model_name shared by several deployments a load-balanced route group, and each `fallbacks` entry a fallback group.
 * Keys written as `os.environ/NAME` are asked for later (the environment is never read); a literal key is returned
 * as a SecretText for the service to encrypt. Throws ImportFileError when the file as a whole cannot be read.
 */
export async function importLiteLLMConfig(content: string, options: ImportOptions & { readonly existingGroupNames?: Iterable<string> }): Promise<LiteLLMImportReport> {
  const { modelList, root } = await readLiteLLMYaml(content);
  const notes: string[] = [];
  const rejected: Rejection[] = [];
  const deployments: Deployment[] = [];
  for (const [i, raw] of modelList.entries()) {
    const result = await readDeployment(raw, i + 1, options);
    if ('reasons' in result) rejected.push(result);
    else deployments.push(result);
  }
  const byName = new Map<string, Deployment[]>();
  for (const d of deployments) byName.set(d.modelName, [...(byName.get(d.modelName) ?? []), d]);
  const fallbacks = readFallbacks(root, notes);
  const fallbackKeys = new Set(fallbacks.map((f) => f.from));
  // A single deployment is a configuration of its own, unless it only repeats another one to head a fallback group.
  const singles = new Map<string, string>();
  for (const [name, list] of byName) if (list.length === 1 && list[0] !== undefined && !singles.has(list[0].signature) && !fallbackKeys.has(name)) singles.set(list[0].signature, name);
  for (const [name, list] of byName) if (list.length === 1 && list[0] !== undefined && !singles.has(list[0].signature)) singles.set(list[0].signature, name);

  const taken = [...options.existingNames, ...(options.existingGroupNames ?? [])];
  const imported: ImportedConfiguration[] = [];
  const finalName = new Map<string, string>();
  const addConfiguration = (d: Deployment, wanted: string): string => {
    const name = uniqueName(wanted, taken);
    taken.push(name);
    const draftNotes = [...d.draft.notes];
    if (name !== wanted) draftNotes.push(`Imported as "${name}" because the name "${wanted}" is taken.`);
    imported.push({ name, provider: d.draft.provider, model: d.draft.model, baseUrl: d.draft.baseUrl, config: d.draft.config, ...(d.draft.apiKey ? { apiKey: d.draft.apiKey } : {}), notes: draftNotes });
    return name;
  };
  const configurationFor = (d: Deployment, fallbackName: string): string => {
    const own = singles.get(d.signature);
    const key = own ?? `${fallbackName}\u0000${String(d.index)}`;
    const existing = finalName.get(key);
    if (existing !== undefined) return existing;
    const name = addConfiguration(d, own ?? fallbackName);
    finalName.set(key, name);
    return name;
  };
  for (const [name, list] of byName) if (list.length === 1 && list[0] !== undefined && singles.get(list[0].signature) === name) configurationFor(list[0], name);

  const settings = groupSettings(root, notes);
  const router = isRecord(root.router_settings) ? root.router_settings : {};
  const routing = typeof router.routing_strategy === 'string' ? router.routing_strategy : 'simple-shuffle';
  const mapped = ownValue(fromLiteLLM, routing);
  const strategy = mapped ?? 'weighted-round-robin';
  if (mapped === undefined) notes.push(`routing_strategy ${routing} has no equivalent here; load-balanced groups use weighted round-robin.`);
  const groups: ImportedGroup[] = [];
  const groupName = (wanted: string): string => {
    const name = uniqueName(wanted, taken);
    taken.push(name);
    return name;
  };
  const membersOf = (modelName: string): { configuration: string; weight?: number }[] => {
    const list = byName.get(modelName) ?? [];
    return list.map((d, k) => ({ configuration: configurationFor(d, list.length === 1 ? modelName : `${modelName} ${String(k + 1)}`), ...(d.draft.weight === undefined ? {} : { weight: d.draft.weight }) }));
  };
  for (const [name, list] of byName) {
    if (list.length < 2) continue;
    groups.push({ name: groupName(name), strategy, members: membersOf(name), settings });
  }
  for (const f of fallbacks) {
    const missing = [f.from, ...f.to].filter((n) => !byName.has(n));
    if (missing.length > 0) notes.push(`The fallbacks of ${f.from} name ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not an imported model; ${missing.length > 1 ? 'they were' : 'it was'} left out of the group.`);
    const members = [f.from, ...f.to].filter((n) => byName.has(n)).flatMap((n) => membersOf(n).map((m) => ({ configuration: m.configuration })));
    const unique = members.filter((m, i) => members.findIndex((o) => o.configuration === m.configuration) === i);
    if (unique.length === 0) continue;
    const heads = byName.get(f.from) ?? [];
    // The head repeats another configuration only to carry the group's name; otherwise the name belongs to a configuration already.
    const headIsAlias = heads.length === 1 && heads[0] !== undefined && singles.get(heads[0].signature) !== f.from;
    groups.push({ name: groupName(headIsAlias ? f.from : `${f.from} fallbacks`), strategy: 'fallback', members: unique, settings });
  }
  for (const key of ['context_window_fallbacks', 'content_policy_fallbacks', 'default_fallbacks'] as const) {
    const holder = [root.router_settings, root.litellm_settings].find((s) => isRecord(s) && s[key] !== undefined);
    if (holder !== undefined) notes.push(`${key} has no equivalent here and was left out.`);
  }
  return { imported, templates: [], rejected, groups, notes };
}
