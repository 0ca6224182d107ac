import { configurationGroupId } from '../chat/targets';
import type { AIConfiguration, RouteGroup } from '../store';
import type { ServedModel } from './EndpointServer';

const MAX_ID_LENGTH = 64;

/**
 * Every active configuration and every route group under a readable model id: the slug of its name ("GPT-4o
 * (work)" → "gpt-4o-work"). Names differing only in case or punctuation share a slug; the one created later gets
 * "-2", "-3", … in creation order, so an id does not change when another model is added. A rename changes the id:
 * clients asking for the old one get a 404 that points to GET /v1/models.
 */
export function servedModels(configurations: readonly AIConfiguration[], routeGroups: readonly RouteGroup[]): ServedModel[] {
  const entries = [
    ...configurations.filter((c) => c.isActive).map((c) => ({ name: c.name, groupId: configurationGroupId(c.id), createdAt: c.createdAt, key: c.id })),
    ...routeGroups.map((g) => ({ name: g.name, groupId: g.id, createdAt: g.createdAt, key: g.id })),
  ].sort((a, b) => (a.createdAt === b.createdAt ? a.key.localeCompare(b.key) : a.createdAt.localeCompare(b.createdAt)));
  const taken = new Set<string>();
  return entries.map((entry) => {
    const base = slugOf(entry.name);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base.slice(0, MAX_ID_LENGTH - String(n).length - 1)}-${String(n)}`;
    taken.add(id);
    return { id, groupId: entry.groupId, created: Math.floor(Date.parse(entry.createdAt) / 1000) || 0 };
  });
}

/** Lower case letters, digits, dots and dashes; accents dropped; "model" for a name with none of them. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, MAX_ID_LENGTH)
    .replace(/[-.]+$/, '');
  return slug === '' ? 'model' : slug;
}
