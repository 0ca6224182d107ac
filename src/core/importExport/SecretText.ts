import { inspect } from 'node:util';

const HIDDEN = '[secret]';

/** A key read from an imported file, on its way to encryption: JSON, string and inspect output never show it. */
export class SecretText {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The key itself, for the one caller that seals it. */
  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return HIDDEN;
  }

  toString(): string {
    return HIDDEN;
  }

  [inspect.custom](): string {
    return `SecretText(${HIDDEN})`;
  }
}
