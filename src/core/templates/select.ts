import type { ModelCatalog } from '../catalog/ModelCatalog';
import { isSnapshotId } from '../catalog/modelIds';
import type { CatalogModel } from '../catalog/types';

/** Kinds of models that are not for chat: their ids say so, the catalog has no kind field. */
const NOT_CHAT = /embed|tts|transcri|realtime|audio|image|live|search|computer-use|moderation|whisper|deep-research|instruct|vision|guard/;

/** OpenAI serves these only through the Responses API, which the OpenAI adapter does not speak. */
const RESPONSES_ONLY = /(?:^|-)pro(?:-|$)|codex/;

/** A version number: not part of a longer number, not a size such as 120b, 8x7b or 128k. */
const VERSION = /(?<![\d.])(\d+)(?:[.-](\d{1,2}))?(?![\d.]|[bkx](?![a-z]))/;

/** The version number in a model id, as [major, minor]: the catalog has no release dates, the ids carry the order. */
export function versionOf(id: string): readonly [number, number] | undefined {
  const match = VERSION.exec(id);
  if (!match?.[1]) return undefined;
  return [Number(match[1]), match[2] === undefined ? 0 : Number(match[2])];
}

/** The model line an id belongs to, its version left out: gpt-5.4-mini and gpt-5-mini are both "gpt-#-mini". */
export function familyOf(id: string): string {
  return id.replace(VERSION, '#').replace(/-(?:preview|latest|exp)(?=-|$)/g, '');
}

function isChatModel(provider: string, model: CatalogModel, catalog: ModelCatalog): boolean {
  const id = model.id.toLowerCase();
  if (model.deprecated || !model.prices || model.prices.inputPerMTok <= 0) return false;
  if (model.media.some((key) => key.startsWith('output_') || key.endsWith('_hours'))) return false;
  if (!catalog.isNative(provider, id) || isSnapshotId(id) || id.includes(':') || id.includes('/') || NOT_CHAT.test(id)) return false;
  return !(provider === 'openai' && RESPONSES_ONLY.test(id));
}

function newer(a: CatalogModel, b: CatalogModel): number {
  const [am, an] = versionOf(a.id) ?? [0, 0];
  const [bm, bn] = versionOf(b.id) ?? [0, 0];
  if (am !== bm) return bm - am;
  if (an !== bn) return bn - an;
  // Same version: the generally available one before its preview, then the shorter (base) id.
  const preview = Number(a.id.includes('preview')) - Number(b.id.includes('preview'));
  return preview !== 0 ? preview : a.id.length - b.id.length || a.id.localeCompare(b.id);
}

/**
 * The newest chat model of each model line, newest lines first, at most `count`. A line whose newest model is more
 * than one major version behind the provider's newest (Gemini 1.5 next to Gemini 3) is no longer current.
 */
export function currentChatModels(catalog: ModelCatalog, provider: string, count: number): CatalogModel[] {
  const newestByFamily = new Map<string, CatalogModel>();
  for (const model of catalog.list(provider)) {
    if (!isChatModel(provider, model, catalog) || versionOf(model.id) === undefined) continue;
    const family = familyOf(model.id.toLowerCase());
    const held = newestByFamily.get(family);
    if (!held || newer(model, held) < 0) newestByFamily.set(family, model);
  }
  const lines = [...newestByFamily.values()].sort(newer);
  const newestMajor = lines[0] ? (versionOf(lines[0].id)?.[0] ?? 0) : 0;
  return lines.filter((m) => (versionOf(m.id)?.[0] ?? 0) >= newestMajor - 1).slice(0, count);
}
