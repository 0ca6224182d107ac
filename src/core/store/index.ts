export { openStore } from './openStore';
export type { OpenStoreOptions, OpenStoreResult } from './openStore';
export { Store } from './Store';
export type { Repositories } from './Repositories';
export { StoreError } from './notices';
export type { StoreNotice, StoreProblem } from './notices';
export { LockTimeoutError } from './lock';
export { LATEST_SCHEMA_VERSION } from './migrations';
export type * from './types';
