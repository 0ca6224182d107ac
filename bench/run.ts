import { note } from './result';

/** Every benchmark, by the name used in `npm run bench -- NAME`. Each module exports `run(): Promise<void>`. */
const benches: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  activation: () => import('./activation'),
  webview: () => import('./webview'),
  providers: () => import('./providers'),
  store: () => import('./store'),
  usage: () => import('./usage'),
  routing: () => import('./routing'),
  chat: () => import('./chat'),
  gateway: () => import('./gateway'),
};

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !(n in benches));
  if (unknown.length > 0) {
    throw new Error(`Unknown benchmark ${unknown.join(', ')}. Known: ${Object.keys(benches).join(', ')}.`);
  }
  for (const name of names.length > 0 ? names : Object.keys(benches)) {
    note(`running ${name}`);
    const load = benches[name];
    if (load) await (await load()).run();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
