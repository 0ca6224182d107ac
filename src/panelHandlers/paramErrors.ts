// Turns a request the protocol refused into the form's own words: a field the user typed gets its error next to it.
import { checkName, nameProblemPhrase, nameProblemSentence } from '../protocol/names';
import type { RpcError } from '../protocol/rpc';

interface Issue {
  readonly code?: string;
  readonly path: readonly PropertyKey[];
  readonly maximum?: unknown;
  readonly message?: string;
}

/** What a method's records are called in a sentence ("Give the route group a name."). */
function subjectOf(method: string): string {
  if (method.startsWith('routeGroups.')) return 'route group';
  if (method.startsWith('budgets.')) return 'budget';
  return 'configuration';
}

/** The form field an issue's path points at (name, apiKey, a setting), or undefined for what no user typed. */
function fieldOf(path: readonly PropertyKey[]): string | undefined {
  const keys = path.map(String);
  const inner = keys[0] === 'draft' ? keys.slice(1) : keys;
  if (inner.length === 1 && (inner[0] === 'name' || inner[0] === 'apiKey')) return inner[0];
  if (inner[0] === 'settings' && inner.length > 1) return inner.slice(1).join('.');
  return undefined;
}

function valueAt(params: unknown, path: readonly PropertyKey[]): unknown {
  let value = params;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/**
 * The refusal for params the protocol's bounds refused: at the field, as the service would word it, where a user
 * typed the value (a 250-character name); the technical message where no one did (a page sending a bad shape).
 */
export function paramRefusal(method: string, params: unknown, issues: readonly Issue[]): RpcError {
  const fieldErrors: { field: string; message: string }[] = [];
  let sentence: string | undefined;
  for (const issue of issues) {
    const field = fieldOf(issue.path);
    const value = valueAt(params, issue.path);
    // Only text can have been typed: another type is a page's mistake, answered technically below.
    if (!field || typeof value !== 'string') continue;
    const checked = field === 'name' ? checkName(value) : undefined;
    if (checked && !checked.ok) {
      fieldErrors.push({ field, message: nameProblemPhrase(checked.problem) });
      sentence ??= nameProblemSentence(checked.problem, subjectOf(method));
      continue;
    }
    const message = issue.code === 'too_big' && typeof issue.maximum === 'number' ? `at most ${String(issue.maximum)} characters` : 'not valid here';
    fieldErrors.push({ field, message });
    sentence ??= `Check ${field === 'apiKey' ? 'the API key' : field === 'name' ? 'the name' : `"${field}"`}: ${message}.`;
  }
  if (fieldErrors.length > 0 && sentence) return { code: 'validation', message: sentence, fieldErrors };
  const issue = issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'params';
  return { code: 'invalid-request', message: `Invalid ${where} for ${method}: ${issue?.message ?? 'not valid'}.` };
}
