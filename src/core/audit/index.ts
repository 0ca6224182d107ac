export { AuditRecorder, DEFAULT_AUDIT_RETENTION_DAYS } from './AuditRecorder';
export type { AuditRecorderDeps, Refusal } from './AuditRecorder';
export { auditEndpoint } from './endpoint';
export { auditCsv, auditExport, auditExportRows, auditJsonLines, csvCell } from './exportAudit';
export type { AuditExportFormat, AuditExportRow } from './exportAudit';
