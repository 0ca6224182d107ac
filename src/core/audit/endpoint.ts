/**
 * An endpoint as the audit log keeps it: scheme, host, port and path only. User info, query and fragment can carry a
 * credential (https://user:secret@host, ?key=...), so they never reach the log.
 */
export function auditEndpoint(baseUrl: string | null | undefined): string | null {
  if (!baseUrl) return null;
  try {
    const url = new URL(baseUrl);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return '(not a URL)';
  }
}
