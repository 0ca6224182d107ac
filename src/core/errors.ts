/** The message of anything thrown, for logs and notifications (an Error's message, anything else as text). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Whether a value is an error of the named class. Checked by name, not instanceof: the extension and the core are two
 * bundles, each with its own copy of a class, so instanceof fails across them.
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the class the name stands for
export function isErrorNamed<T extends Error = Error>(error: unknown, name: string): error is T {
  return error instanceof Error && error.name === name;
}
