import { AuditLogRepository } from './AuditLogRepository';
import { BudgetRepository } from './BudgetRepository';
import { ClientRepository } from './ClientRepository';
import { ConfigurationRepository } from './ConfigurationRepository';
import { ConversationRepository } from './ConversationRepository';
import { EncryptionKeyRepository } from './EncryptionKeyRepository';
import { MetaRepository } from './MetaRepository';
import { RequestLogRepository } from './RequestLogRepository';
import { RouteGroupRepository } from './RouteGroupRepository';
import type { Sql } from './sql';
import { TemplateRepository } from './TemplateRepository';
import { UsageRepository } from './UsageRepository';
import { UserRepository } from './UserRepository';

/** Every repository over one connection; handed to store.read and store.write callbacks. */
export interface Repositories {
  readonly configurations: ConfigurationRepository;
  readonly usage: UsageRepository;
  readonly requestLog: RequestLogRepository;
  readonly templates: TemplateRepository;
  readonly audit: AuditLogRepository;
  readonly users: UserRepository;
  readonly routeGroups: RouteGroupRepository;
  readonly keys: EncryptionKeyRepository;
  readonly meta: MetaRepository;
  readonly budgets: BudgetRepository;
  readonly conversations: ConversationRepository;
  readonly clients: ClientRepository;
}

export function createRepositories(sql: Sql, now: () => string): Repositories {
  return {
    configurations: new ConfigurationRepository(sql, now),
    usage: new UsageRepository(sql),
    requestLog: new RequestLogRepository(sql),
    templates: new TemplateRepository(sql, now),
    audit: new AuditLogRepository(sql, now),
    users: new UserRepository(sql, now),
    routeGroups: new RouteGroupRepository(sql, now),
    keys: new EncryptionKeyRepository(sql, now),
    meta: new MetaRepository(sql),
    budgets: new BudgetRepository(sql, now),
    conversations: new ConversationRepository(sql, now),
    clients: new ClientRepository(sql, now),
  };
}
