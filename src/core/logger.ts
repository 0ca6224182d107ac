/** Where core code writes diagnostics; the host passes its output channel. Never give it a key. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** For callers that do not care about diagnostics. */
export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
