export { builtinTemplates } from './builtins';
export type { BuiltinOptions, BuiltinTemplate } from './builtins';
export { seedBuiltinTemplates } from './seed';
export type { SeedResult, TemplateStore } from './seed';
export { draftFromTemplate } from './draft';
export type { ConfigurationDraft } from './draft';
export { uniqueName } from './names';
export { describePrices } from './describe';
export { seededTemplates } from './seeded';
