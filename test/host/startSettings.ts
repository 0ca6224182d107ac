import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * What `npm start` adds to its profile: the workspace it opens is the user's own empty folder, so it starts trusted
 * (in Restricted Mode VS Code's chat lists no models at all).
 */
export const startSettings: Readonly<Record<string, unknown>> = { 'security.workspace.trust.enabled': false };

/**
 * Adds the start settings a profile made by an earlier version lacks, keeping every value the user set; a settings
 * file with comments (not plain JSON) is left alone and the caller is told so.
 */
export function addStartSettings(settingsFile: string): 'added' | 'unchanged' | 'not-json' {
  if (!existsSync(settingsFile)) return 'unchanged';
  let settings: unknown;
  try {
    settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
  } catch {
    return 'not-json';
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) return 'not-json';
  const missing = Object.entries(startSettings).filter(([key]) => !(key in settings));
  if (missing.length === 0) return 'unchanged';
  writeFileSync(settingsFile, JSON.stringify({ ...settings, ...Object.fromEntries(missing) }, null, 2));
  return 'added';
}
