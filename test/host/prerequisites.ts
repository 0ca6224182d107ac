import { existsSync } from 'node:fs';
import { chromiumPath } from './paths';

/** A missing machine package: the message is the exact command that installs it. */
export class MissingPrerequisiteError extends Error {
  constructor(what: string, debianPackage: string) {
    super(
      `${what} is missing. Install it with:\n\n    apt-get update && apt-get install -y ${debianPackage}\n\n(as root, or with sudo) and run the command again.`,
    );
    this.name = 'MissingPrerequisiteError';
  }
}

export function requireChromium(): void {
  if (!existsSync(chromiumPath)) {
    throw new MissingPrerequisiteError(`Chromium (${chromiumPath}), which drives the VS Code workbench,`, 'chromium');
  }
}

/** The server's postinstall compiles the kerberos native module against these headers. */
export function requireKerberosHeaders(): void {
  const headers = ['/usr/include/krb5.h', '/usr/include/gssapi/gssapi.h'];
  if (!headers.some((h) => existsSync(h))) {
    throw new MissingPrerequisiteError('The Kerberos development headers (needed to build the VS Code server)', 'libkrb5-dev');
  }
}
