export * from './rpc';
export * from './views';
export * from './routeGroups';
export * from './usage';
export * from './names';
export * from './money';
export * from './ollama';
export * from './counts';
