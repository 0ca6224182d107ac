import * as vscode from 'vscode';
import { MARKER } from '../test/host/reporter';

/**
 * Runs inside a fresh extension host (as its extensionTestsPath): activates Model Manager and an empty extension,
 * cold, and reports the time each took as seen by the host (module loading included).
 */
export async function run(): Promise<void> {
  const order = process.env.MM_BENCH_ORDER === 'probe-last' ? ['ours', 'probe'] : ['probe', 'ours'];
  const ids: Record<string, string> = { ours: 'modelmanager.model-manager', probe: 'modelmanager-tests.model-manager-test-probe' };
  const times: Record<string, number> = {};
  // Let the workbench finish starting (built-in extensions activate too) so the host is quiet while we measure.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  for (const [index, which] of order.entries()) {
    // The second extension waits until the first one's start-up work has run: Model Manager opens its store and
    // registers its commands right after activate() returns, and an empty extension activated during that work was
    // measured at 19–34 ms instead of its 5–8 ms (a ratio that depended on the order, not on either extension).
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, 2000));
    const id = ids[which] ?? '';
    const extension = vscode.extensions.getExtension(id);
    if (!extension) throw new Error(`${id} is not loaded`);
    if (extension.isActive) throw new Error(`${id} was already active; the measurement would not be cold`);
    const started = performance.now();
    await extension.activate();
    times[which] = performance.now() - started;
  }
  // The extension's log is written asynchronously; give it time to reach the file the benchmark reads.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  console.log(`${MARKER}${JSON.stringify({ kind: 'activation', ours: times.ours, probe: times.probe, phases: { ours: phasesOf(ids.ours ?? ''), probe: phasesOf(ids.probe ?? '') } })}`);
}

/**
 * Where the host's activation time went, from the extension host's own performance marks (whole milliseconds): loading
 * the code, and calling activate(); the rest of the host-observed time is the host waiting for the extension's
 * context (its stored state, over a round trip to the workbench), the same for every extension.
 */
function phasesOf(id: string): { load: number; activate: number } | undefined {
  const marks = (globalThis as { MonacoPerformanceMarks?: { getMarks(): { name: string; startTime: number }[] } }).MonacoPerformanceMarks?.getMarks() ?? [];
  const at = (name: string): number | undefined => marks.find((m) => m.name === `code/extHost/${name}/${id}`)?.startTime;
  const [willLoad, didLoad, willActivate, didActivate] = ['willLoadExtensionCode', 'didLoadExtensionCode', 'willActivateExtension', 'didActivateExtension'].map(at);
  if (willLoad === undefined || didLoad === undefined || willActivate === undefined || didActivate === undefined) return undefined;
  return { load: didLoad - willLoad, activate: didActivate - willActivate };
}
