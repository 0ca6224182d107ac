import { join } from 'node:path';
import { runExtensionTests } from '../test/host/extensionTests';
import { outRoot, projectRoot } from '../test/host/paths';
import { provision } from '../test/host/provision';
import { emit, median, note } from './result';

/** Time to first token through VS Code's language-model API and our provider, against the adapter called directly. */
export async function run(): Promise<void> {
  const host = await provision(note);
  const result = await runExtensionTests(host, {
    label: 'bench-chat',
    extensionDevelopmentPaths: [projectRoot],
    extensionTestsPath: join(outRoot, 'bench', 'chatProbe.js'),
    settings: { 'security.workspace.trust.enabled': false },
    print: note,
    timeoutMs: 300_000,
  });
  const figure = result.markers.find((m) => m.kind === 'chat-ttft') as { direct: number[]; provider: number[]; router: number[] } | undefined;
  if (result.exitCode !== 0 || !figure) throw new Error('the chat probe did not report its timings');
  const direct = median(figure.direct);
  const provider = median(figure.provider);
  note(`chat: the router alone (no VS Code in between): ${median(figure.router).toFixed(3)} ms`);
  note(`chat: median time to first token ${provider.toFixed(3)} ms through the language-model provider, ${direct.toFixed(3)} ms through the adapter directly (${String(figure.direct.length)} rounds each)`);
  emit({ bench: 'chat', metric: 'ttft_ratio', value: provider / direct, unit: 'ratio', baseline: 'the OpenAI adapter called directly, same emulator', ratio: provider / direct, goal: '<=1.05' });
}
