import { runMochaInHost } from '../host/runMochaInHost';

/** Entry the extension host calls (extensionTestsPath): runs every integration test file in this folder. */
export function run(): Promise<void> {
  return runMochaInHost(__dirname, 'integration');
}
