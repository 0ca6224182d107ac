export { runTurn } from './runTurn';
export type { ChatRouter, OnRecorded, TurnBadge, TurnOptions, TurnResult } from './runTurn';
export { contextLine, DEFAULT_CONTEXT_WINDOW, describeModels, formatWindow, type ChatModelInfo, type ContextSource, type ModelFactsDeps } from './models';
export { badgeText, formatCost } from './badge';
export { compareTable, firstLine, type CompareOutcome } from './compare';
export { ConversationStore, parseBadge, promptWithContext, storedBadge, titleFrom } from './conversations';
export type { StoredBadge } from './conversations';
export { chatTargets, compareLineup, COMPARE_MAX, CONFIGURATION_GROUP_PREFIX, configurationGroupId, configurationIdOf, type ChatTarget } from './targets';
export { TokenEstimator } from './TokenEstimator';
