import * as vscode from 'vscode';

/**
 * The lines that point a terminal's tools at the endpoint: the OpenAI SDKs take the base URL with /v1, the
 * Anthropic SDKs without (they add /v1/messages themselves). PowerShell on Windows, a POSIX shell elsewhere.
 */
export function setupLines(url: string, token: string, platform: NodeJS.Platform = process.platform): string {
  const values: [string, string][] = [
    ['OPENAI_BASE_URL', `${url}/v1`],
    ['OPENAI_API_KEY', token],
    ['ANTHROPIC_BASE_URL', url],
    ['ANTHROPIC_API_KEY', token],
  ];
  return values.map(([name, value]) => (platform === 'win32' ? `$env:${name}="${value}"` : `export ${name}="${value}"`)).join('\n');
}

/** Which tools read those variables, as the message after copying says it. */
export function toolsThatReadThem(): string {
  return vscode.l10n.t('OPENAI_BASE_URL and OPENAI_API_KEY are read by the official OpenAI SDKs (Python, Node) and the tools built on them, such as OpenAI\'s Codex CLI; ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY by the official Anthropic SDKs (Python, TypeScript) and Claude Code.');
}
