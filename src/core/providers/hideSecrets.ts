import { redactSecrets, StreamRedactor } from '../http/streamRedactor';
import { isSecretHeader } from './secretHeaders';
import type { ChatEvent, ModelInfo, OllamaModelDetails, ReasoningReplay } from './types';

/**
 * A server's answer is text Model Manager shows, stores (conversations, the request log) and serves on (the local
 * endpoint): a server that echoes the key it was sent — in the answer, the reasoning, a tool call, a model list — must
 * not put it there. Only the configured secrets are hidden; text that merely looks like a key is left alone.
 */
export class SecretHider {
  private readonly text: StreamRedactor;
  private readonly reasoning: StreamRedactor;

  private readonly secrets: readonly string[];
  /** The last characters of the answer and its reasoning in the order they came, and which stream they came last in. */
  private arrived = '';
  private last: 'text' | 'reasoning' | undefined;

  constructor(secrets: readonly string[]) {
    this.secrets = secrets.flatMap(answerSecrets);
    this.text = new StreamRedactor(this.secrets);
    this.reasoning = new StreamRedactor(this.secrets);
  }

  get active(): boolean {
    return this.text.active;
  }

  /**
   * The events to give out for one event: the text and reasoning streams each hold back the few characters that may
   * start a piece of a key, and give them out before any other kind of event.
   */
  events(event: ChatEvent): ChatEvent[] {
    if (!this.active) return [event];
    switch (event.type) {
      case 'text': {
        const before = this.reasoningHeld();
        return this.delta('text', this.text.push(event.text, this.switchTo('text', event.text)), before);
      }
      case 'reasoning': {
        const before = this.textHeld();
        return this.delta('reasoning', this.reasoning.push(event.text, this.switchTo('reasoning', event.text)), before);
      }
      case 'tool-call': {
        const { id, name, arguments: args } = event.call;
        return [...this.held(), { type: 'tool-call', call: { id: this.hide(id), name: this.hide(name), arguments: this.hideArguments(args) } }];
      }
      case 'replay':
        return [...this.held(), { type: 'replay', replay: this.replay(event.replay) }];
      case 'finish':
        return [...this.held(), { ...event, providerReason: this.hide(event.providerReason) }];
      case 'usage':
        return [...this.held(), event];
    }
  }

  /** What both streams still hold: the answer has ended (or failed). */
  held(): ChatEvent[] {
    return [...this.reasoningHeld(), ...this.textHeld()];
  }

  models(models: readonly ModelInfo[]): readonly ModelInfo[] {
    if (!this.active) return models;
    return models.map((m) => ({
      ...m,
      id: this.hide(m.id),
      ...(m.displayName === undefined ? {} : { displayName: this.hide(m.displayName) }),
      ...(m.ownedBy === undefined ? {} : { ownedBy: this.hide(m.ownedBy) }),
    }));
  }

  /** A model's details are shown (the Ollama models view, "Show Model Details"): each text the server wrote is hidden. */
  details(details: OllamaModelDetails): OllamaModelDetails {
    if (!this.active) return details;
    const hide = (text: string | undefined): string | undefined => (text === undefined ? undefined : this.hide(text));
    return {
      ...details,
      family: hide(details.family),
      parameterSize: hide(details.parameterSize),
      quantization: hide(details.quantization),
      capabilities: details.capabilities.map((c) => this.hide(c)),
      license: hide(details.license),
      modifiedAt: hide(details.modifiedAt),
    };
  }

  hide(text: string): string {
    return redactSecrets(text, this.secrets);
  }

  /**
   * A tool call's arguments are JSON its caller parses: a key written with \u escapes ("sk-c\u0061nary...") is only
   * whole once parsed, so the strings are hidden as parsed too, and the arguments re-written if one held a key.
   */
  private hideArguments(args: string): string {
    if (nesting(args) > MAX_ARGUMENT_DEPTH) {
      // Too deep to walk (or to write back): the key is looked for with the escapes decoded, in the text as it is.
      const decoded = args.replace(/\\u([0-9a-fA-F]{4})|\\(\/)/g, (_, code: string | undefined, slash: string | undefined) => slash ?? String.fromCharCode(parseInt(code ?? '0', 16)));
      const hidden = this.hide(decoded);
      return hidden === decoded ? this.hide(args) : hidden;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(args);
    } catch {
      return this.hide(args);
    }
    const seen = { key: false };
    const clean = (value: unknown): unknown => {
      if (typeof value === 'string') {
        const hidden = this.hide(value);
        if (hidden !== value) seen.key = true;
        return hidden;
      }
      if (Array.isArray(value)) return value.map(clean);
      if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k), clean(v)]));
      return value;
    };
    const cleaned = clean(parsed);
    return seen.key ? JSON.stringify(cleaned) : this.hide(args);
  }

  /**
   * What came just before a delta of `stream` in the other stream, when the stream changes (else ''): a server that
   * deals a key out between the reasoning and the answer is matched across the two.
   */
  private switchTo(stream: 'text' | 'reasoning', text: string): string {
    const after = this.last !== undefined && this.last !== stream ? this.arrived : '';
    this.arrived = `${this.arrived}${text}`.slice(-ARRIVED_CHARS);
    this.last = stream;
    return after;
  }

  private delta(type: 'text' | 'reasoning', text: string, before: ChatEvent[]): ChatEvent[] {
    return text === '' ? before : [...before, { type, text }];
  }

  private textHeld(): ChatEvent[] {
    const text = this.text.flush();
    return text === '' ? [] : [{ type: 'text', text }];
  }

  private reasoningHeld(): ChatEvent[] {
    const text = this.reasoning.flush();
    return text === '' ? [] : [{ type: 'reasoning', text }];
  }

  /** Strings inside the blocks a provider wants back; a block without the key is passed on as it came (signed). */
  private replay(replay: ReasoningReplay): ReasoningReplay {
    const clean = (value: unknown): unknown => {
      if (typeof value === 'string') return this.hide(value);
      if (Array.isArray(value)) return value.map(clean);
      if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v)]));
      return value;
    };
    return { ...replay, blocks: replay.blocks.map((b) => clean(b) as Readonly<Record<string, unknown>>) };
  }
}

/** More than the widest window of any form of a key (8 bytes percent-encoded: 24 characters). */
const ARRIVED_CHARS = 32;

/** Real tool arguments nest a few levels; a hostile server's may nest 100,000, past what a recursive walk survives. */
const MAX_ARGUMENT_DEPTH = 64;

/** How deep the arrays and objects of a JSON text nest (brackets inside strings do not count). */
function nesting(json: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/**
 * A "key" made of plain words, as local servers document a key they ignore ("sk-no-key-required", "lm-studio",
 * "ollama", "EMPTY") or as a user types one ("test"): its pieces are ordinary words ("required"), so an answer is not
 * searched for it. Errors and logs still hide it (redact); a generated key has digits or mixed case.
 */
const PLACEHOLDER = /^(?:[a-z]+|[A-Z]+|[A-Z][a-z]+)(?:[-_ ](?:[a-z]+|[A-Z]+|[A-Z][a-z]+))*$/;

/**
 * What of a secret is hidden in an answer: the credential after a scheme ("Bearer sk-..." would make "Bearer s" a piece
 * of a key, and "Authorization: Bearer sk-your-key" in an answer would lose it), the credentials in a JSON value, else
 * the secret whole.
 */
function answerSecrets(secret: string): string[] {
  if (PLACEHOLDER.test(secret)) return [];
  const credential = /^\s*(?:bearer|basic|token)\s+(\S+)\s*$/i.exec(secret)?.[1];
  if (credential !== undefined) return [credential];
  // A Cookie's "name=value; name=value": its names and plain settings ("theme=dark") are ordinary text, its values not.
  if (COOKIE.test(secret)) return secret.split(';').flatMap((pair) => answerSecrets(pair.slice(pair.indexOf('=') + 1).trim()));
  return credentialsIn(secret) ?? [secret];
}

/** Two or more cookie pairs: a key has no ";" in it. */
const COOKIE = /^\s*[\w.!#$%&'*+^`|~-]+=[^;]*(?:;\s*[\w.!#$%&'*+^`|~-]+=[^;]*)+;?\s*$/;

/**
 * The credentials in a secret header's JSON value (a Portkey config: provider keys among "provider", "strategy" and
 * such): in an answer those words are ordinary text, so only the values a credential's name or shape marks are hidden.
 * Undefined for a value that is not a JSON object or array (it is hidden whole).
 */
function credentialsIn(secret: string): string[] | undefined {
  if (!/^\s*[[{]/.test(secret)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret);
  } catch {
    return undefined;
  }
  const found: string[] = [];
  const walk = (value: unknown, name: string): void => {
    if (typeof value === 'string') {
      if (isSecretHeader(name, value)) found.push(value);
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item, name);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) walk(item, key);
    }
  };
  walk(parsed, '');
  return found;
}
