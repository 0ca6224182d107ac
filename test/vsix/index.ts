import { runMochaInHost } from '../host/runMochaInHost';

/** Entry for the packaged-extension run: the extension under test comes from the installed .vsix. */
export function run(): Promise<void> {
  return runMochaInHost(__dirname, 'vsix');
}
