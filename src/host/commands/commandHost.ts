import type { EndpointController } from '../endpoint/EndpointController';
import type { HostContext } from '../hostContext';
import type { AuditLogDocument } from '../views/auditLogDocument';
import type { OllamaDetailsDocuments } from '../views/ollamaDetailsDocuments';

/** What the commands receive when they load: the host, and what activation built for them and for VS Code at once. */
export interface CommandHost extends HostContext {
  readonly endpoint: EndpointController;
  readonly auditLog: AuditLogDocument;
  readonly ollamaDetails: OllamaDetailsDocuments;
}
