export * from './rpc';
export * from './views';
export * from './routeGroups';
export * from './usage';
export * from './names';
export * from './money';

/** Bumped whenever a message changes shape, so a stale webview (restored after an update) is detected. */
export const PROTOCOL_VERSION = 4;
