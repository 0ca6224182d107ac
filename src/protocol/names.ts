// The one rule for what a configuration, template or route group may be called: the service, the importers, the
// palette and the webview all check names with it, so a name one of them accepts is never refused by another.

/** Long enough for "Work OpenAI (gpt-4o, EU project)", short enough for a tree label and a status bar item. */
export const MAX_NAME_LENGTH = 80;

/**
 * Characters that would forge or disguise what a name shows: controls (newlines that fake log lines, NUL, the ESC
 * of ANSI sequences), line and paragraph separators, and the bidirectional marks and overrides (U+202E) that make
 * text read differently from what it is; invisible zero-width characters (two names that look the same); lone
 * surrogates (not text: the stored name would differ from the checked one). U+200D stays: emoji sequences need it.
 */
const HIDDEN = /[\p{Cc}\p{Cs}\u2028\u2029\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u;
const HIDDEN_ALL = new RegExp(HIDDEN.source, 'gu');

export type NameProblem =
  | { readonly kind: 'empty' }
  | { readonly kind: 'too-long'; readonly max: number; readonly length: number }
  /** `character` is written as "U+202E", never as the character itself. */
  | { readonly kind: 'hidden-character'; readonly character: string };

export type NameCheck = { readonly ok: true; readonly name: string } | { readonly ok: false; readonly problem: NameProblem };

/** Checks a name as typed or read from a file; a good one comes back trimmed, as it is stored. */
export function checkName(raw: string): NameCheck {
  const name = raw.trim();
  if (name === '') return { ok: false, problem: { kind: 'empty' } };
  const hidden = HIDDEN.exec(name);
  if (hidden) return { ok: false, problem: { kind: 'hidden-character', character: codePointLabel(hidden[0]) } };
  if (name.length > MAX_NAME_LENGTH) return { ok: false, problem: { kind: 'too-long', max: MAX_NAME_LENGTH, length: name.length } };
  return { ok: true, name };
}

/** The problem as a short phrase for a field ("at most 80 characters"); the host and the webview word their own. */
export function nameProblemPhrase(problem: NameProblem): string {
  switch (problem.kind) {
    case 'empty':
      return 'enter a name';
    case 'too-long':
      return `at most ${String(problem.max)} characters (this one has ${String(problem.length)})`;
    case 'hidden-character':
      return `contains ${problem.character}, a control or text-direction character that would disguise the name: remove it`;
  }
}

/** The problem as a sentence for a message about a `what` ("configuration", "route group"). */
export function nameProblemSentence(problem: NameProblem, what: string): string {
  switch (problem.kind) {
    case 'empty':
      return `Give the ${what} a name.`;
    case 'too-long':
      return `The name is too long (at most ${String(problem.max)} characters; this one has ${String(problem.length)}).`;
    case 'hidden-character':
      return `The name contains ${problem.character}, a control or text-direction character that would disguise it: remove it.`;
  }
}

/** The problem as a reason in an import report ("entry 4: name is empty."). */
export function nameProblemReason(problem: NameProblem): string {
  switch (problem.kind) {
    case 'empty':
      return 'name is empty';
    case 'too-long':
      return `name is longer than ${String(problem.max)} characters (it has ${String(problem.length)})`;
    case 'hidden-character':
      return `name contains ${problem.character}, a control or text-direction character that would disguise it: remove it`;
  }
}

/** A name made safe to show in a message or log line: every hidden character written as \u{…}. */
export function printableName(name: string): string {
  return name.replace(HIDDEN_ALL, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`);
}

/** `name`, cut so that `name + suffix` fits the length limit (the " (2)" of an imported duplicate). */
export function fitName(name: string, suffix = ''): string {
  const room = MAX_NAME_LENGTH - suffix.length;
  if (name.length <= room) return name + suffix;
  // Never cut between the two halves of a surrogate pair (an emoji would become an unpaired half).
  const end = /[\uD800-\uDBFF]/.test(name.charAt(room - 1)) ? room - 1 : room;
  return name.slice(0, end).trimEnd() + suffix;
}

function codePointLabel(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
