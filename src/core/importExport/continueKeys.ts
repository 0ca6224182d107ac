import { SecretText } from './SecretText';
import { looksSecret } from './secrets';

/** `${{ secrets.OPENAI_API_KEY }}` or `${{ inputs.KEY }}`: Continue resolves these elsewhere, so the key is not in the file. */
const REFERENCE = /^\$\{\{\s*(?:secrets|inputs)\.([\w.-]+)\s*\}\}$/;

export function isTemplateValue(value: string): boolean {
  return value.includes('${{');
}

export interface KeyFindings {
  readonly apiKey?: SecretText;
  readonly headers: Record<string, string>;
  readonly notes: string[];
}

/**
 * Takes the key out of a Continue model entry: a literal apiKey (or a credential header) becomes a SecretText for the
 * service to encrypt; a secrets reference becomes a note. Plain headers are kept. No message quotes a key.
 */
export function extractKey(apiKey: unknown, headers: Readonly<Record<string, unknown>>): KeyFindings {
  const notes: string[] = [];
  let key: SecretText | undefined;
  if (typeof apiKey === 'string' && apiKey.trim() !== '') {
    const reference = REFERENCE.exec(apiKey.trim());
    if (reference) notes.push(`API key needed: config.yaml takes it from the secret ${reference[1] ?? ''}. Enter the key after import.`);
    else if (isTemplateValue(apiKey)) notes.push('API key needed: config.yaml builds it from a template value. Enter the key after import.');
    else {
      key = new SecretText(apiKey.trim());
      notes.push('The API key from config.yaml will be stored encrypted. Remove it from config.yaml afterwards.');
    }
  }
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') {
      notes.push(`Header ${name} was left out: its value is not text.`);
    } else if (!looksSecret(name, value)) {
      Object.defineProperty(kept, name, { value, enumerable: true, writable: true, configurable: true });
    } else if (key === undefined && !isTemplateValue(value)) {
      key = new SecretText(value.trim().replace(/^bearer\s+/i, ''));
      notes.push(`The credential in header ${name} will be stored encrypted as the API key. Remove it from config.yaml afterwards.`);
    } else {
      notes.push(`Header ${name} looks like a credential and was not imported in plain text. Enter it as the API key if the server needs it.`);
    }
  }
  return { ...(key ? { apiKey: key } : {}), headers: kept, notes };
}
