// Joining messages: a message that already ends a sentence must not get a second full stop ("again..").

/** The text as a sentence: trimmed, ending in exactly one full stop (or its own "?" / "!"). */
export function sentence(text: string): string {
  const trimmed = text.trim().replace(/\.+$/, '');
  return /[?!]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** The text as a phrase to go inside another sentence: trimmed, without its closing full stops. */
export function phrase(text: string): string {
  return text.trim().replace(/\.+$/, '');
}

/**
 * Markdown as the plain text a notification can show (notifications render none): code fences, emphasis, inline
 * code, headings, list and quote markers and link targets removed, the words kept, lines joined with spaces.
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/^\s*(?:```|~~~).*$/gm, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, '')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\s][^*_]*?)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/`+([^`]*)`+/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The start of a Markdown answer as plain text, at most `max` characters, cut at a word with "…". */
export function excerpt(markdown: string, max = 160): string {
  const text = plainText(markdown);
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * Text from a server shown as written inside Markdown (a table cell, a heading): characters that would become markup
 * (or break a table) are escaped, and every line ending Markdown knows, a lone carriage return too, becomes a space.
 */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, '\\$&').replace(/\r\n?|\n/g, ' ');
}
