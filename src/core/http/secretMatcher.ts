import { MIN_ENCODED, secretForms } from './secretForms';

/** A piece of a key this long (in bytes) is hidden too: a server may echo the key without its prefix, split or re-cased. */
export const FRAGMENT_BYTES = 8;

/**
 * The public start of a vendor's key, as its documentation writes it: eight characters or more, so a window inside it
 * would hide "sk-proj-" wherever an answer explains what keys look like. Only the rest of the key is matched as is.
 */
const PUBLIC_PREFIX = /^(?:sk-(?:proj|svcacct|admin|None|or-v\d+|ant-[a-z]+\d+)-|github_pat_)/;

/** The key as it is matched in plain text: without its public prefix, unless what is left is shorter than a piece. */
function plainPart(secret: string): string {
  const prefix = PUBLIC_PREFIX.exec(secret)?.[0] ?? '';
  return secret.length - prefix.length >= FRAGMENT_BYTES ? secret.slice(prefix.length) : secret;
}

/**
 * The windows of the forms that are compared alike (same width, same case rule), with the characters they are made
 * of: text is scanned for runs of those characters first, and only a run as wide as a window is looked up piece by
 * piece, so ordinary text costs one table lookup per character and group.
 */
interface WindowGroup {
  /** How many characters FRAGMENT_BYTES bytes take in these forms (the whole form when it is shorter). */
  readonly window: number;
  /** Compared ignoring ASCII case (plain text, hex, percent-encoding); base64 is case-sensitive. */
  readonly fold: boolean;
  /** Every `window`-long piece of the forms, case-folded when `fold`. */
  readonly windows: Set<string>;
  /**
   * The forms (case-folded when `fold`) joined by NUL: a piece of them shorter than `window` is what text may end with
   * while a window is still coming. Any piece, not only the starts of windows, so a piece's own end is a piece too and
   * the longest one is found from the end.
   */
  source: string;
  /** Every piece of up to SHORT_PIECE characters; a longer one is looked up by where its first ones occur. */
  readonly short: Set<string>;
  readonly at: Map<string, number[]>;
  /** The characters of the forms (both cases when `fold`): ASCII in the table, the rest in the set. */
  readonly ascii: Uint8Array;
  readonly other: Set<number>;
}

/** Same length as the input (unlike toLowerCase on some non-ASCII letters), so positions still line up. */
export const foldAscii = (text: string): string => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * Where one secret, or a piece of it, occurs in text: in its plain, hex, percent-encoded and base64 forms. Built once
 * per secret (see `matcherFor`): a stream asks it about every delta.
 */
export class SecretMatcher {
  private readonly groups: readonly WindowGroup[];
  /** The longest a held suffix can be: one character short of the widest window. */
  readonly maxHold: number;

  constructor(secret: string) {
    const bytes = Buffer.from(secret, 'utf8');
    const hex = bytes.toString('hex');
    const specs: { form: string; window: number; fold: boolean }[] = [
      // A "key" shorter than a fragment is matched whole, as it is (redact() hides it the same way).
      { form: plainPart(secret), window: Math.min(FRAGMENT_BYTES, secret.length), fold: secret.length >= FRAGMENT_BYTES },
      { form: hex, window: FRAGMENT_BYTES * 2, fold: true },
      { form: hex.replace(/(..)/g, '%$1'), window: FRAGMENT_BYTES * 3, fold: true },
    ];
    // As a URL carries it: a key with "/", "+" or "=" has its plain runs cut short by %2F, %2B, %3D.
    const uri = encodeURIComponent(secret);
    if (uri !== secret) specs.push({ form: uri, window: FRAGMENT_BYTES * 2, fold: true });
    for (const form of secretForms(secret)) {
      if (form !== secret && /^[A-Za-z0-9+/_-]+$/.test(form) && form !== hex && form !== hex.toUpperCase()) {
        specs.push({ form, window: Math.ceil((FRAGMENT_BYTES * 8) / 6) + 1, fold: false });
      }
    }
    const groups = new Map<string, WindowGroup>();
    for (const spec of specs) {
      const { form, fold } = spec;
      // A form shorter than a window (a short key's) is matched whole, if it is long enough not to match by chance.
      const window = Math.min(spec.window, form.length);
      if (window <= 0 || (form.length < MIN_ENCODED && form !== secret)) continue;
      const id = `${String(window)}:${String(fold)}`;
      let group = groups.get(id);
      if (!group) {
        group = { window, fold, windows: new Set(), source: '', short: new Set(), at: new Map(), ascii: new Uint8Array(128), other: new Set() };
        groups.set(id, group);
      }
      const source = fold ? foldAscii(form) : form;
      const offset = group.source === '' ? 0 : group.source.length + 1;
      group.source = group.source === '' ? source : `${group.source}\u0000${source}`;
      for (let i = 0; i < source.length; i++) {
        if (i + window <= source.length) group.windows.add(source.slice(i, i + window));
        for (let n = 1; n <= SHORT_PIECE && n < window && i + n <= source.length; n++) group.short.add(source.slice(i, i + n));
        if (i + SHORT_PIECE < source.length) {
          const start = source.slice(i, i + SHORT_PIECE);
          const found = group.at.get(start);
          if (found) found.push(offset + i);
          else group.at.set(start, [offset + i]);
        }
      }
      // Every UTF-16 unit (a character outside the BMP is two): text is scanned unit by unit.
      const chars = fold ? `${source}${source.toUpperCase()}` : source;
      for (let i = 0; i < chars.length; i++) {
        const code = chars.charCodeAt(i);
        if (code < 128) group.ascii[code] = 1;
        else group.other.add(code);
      }
    }
    this.groups = [...groups.values()];
    this.maxHold = Math.max(0, ...this.groups.map((g) => g.window - 1));
  }

  /** Marks in `covered` every character of `text` inside a window of one of the forms. True if it marked any. */
  cover(text: string, covered: Uint8Array): boolean {
    let any = false;
    for (const group of this.groups) {
      const { window, fold, windows, ascii, other } = group;
      let run = -1;
      for (let i = 0; i <= text.length; i++) {
        const code = i < text.length ? text.charCodeAt(i) : -1;
        if (code >= 0 && (code < 128 ? ascii[code] === 1 : other.has(code))) {
          if (run < 0) run = i;
          continue;
        }
        if (run >= 0 && i - run >= window) {
          const piece = fold ? foldAscii(text.slice(run, i)) : text.slice(run, i);
          for (let j = 0; j + window <= piece.length; j++) {
            if (!windows.has(piece.slice(j, j + window))) continue;
            covered.fill(1, run + j, run + j + window);
            any = true;
          }
        }
        run = -1;
      }
    }
    return any;
  }

  /** How many characters at the end of `text` could be the start of a window that the next text completes. */
  heldSuffix(text: string): number {
    let held = 0;
    const tail = text.slice(-this.maxHold);
    let folded: string | undefined;
    for (const group of this.groups) {
      const haystack = group.fold ? (folded ??= foldAscii(tail)) : tail;
      // Ordinary text ends with a piece of one or two characters at most: found in a lookup or two.
      let n = 0;
      while (n < group.window - 1 && n < haystack.length && isPiece(group, haystack.slice(haystack.length - n - 1))) n++;
      held = Math.max(held, n);
    }
    return held;
  }

  /** How many strings the matcher keeps: a long secret (a 4 KB cookie or token) must not cost tens of megabytes. */
  get storedStrings(): number {
    return this.groups.reduce((n, g) => n + g.windows.size + g.short.size + g.at.size, 0);
  }
}

/** Pieces up to this long are kept as they are; a longer piece is found from where its first characters occur. */
const SHORT_PIECE = 4;

function isPiece(group: WindowGroup, piece: string): boolean {
  if (piece.length <= SHORT_PIECE) return group.short.has(piece);
  for (const i of group.at.get(piece.slice(0, SHORT_PIECE)) ?? []) if (group.source.startsWith(piece, i)) return true;
  return false;
}

const cache = new Map<string, SecretMatcher>();
const CACHE_SIZE = 32;

/** The matcher of a secret, built once: every request with the same key reuses it (the newest few are kept). */
export function matcherFor(secret: string): SecretMatcher {
  let matcher = cache.get(secret);
  if (matcher) {
    cache.delete(secret);
  } else {
    matcher = new SecretMatcher(secret);
    const oldest = cache.keys().next();
    if (cache.size >= CACHE_SIZE && !oldest.done) cache.delete(oldest.value);
  }
  cache.set(secret, matcher);
  return matcher;
}
