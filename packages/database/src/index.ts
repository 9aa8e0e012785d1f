export { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
export { openDatabase, ormConfig, type DatabaseOptions } from './open-database.js';
export { TENANT_FILTER, tenantFilter, tenantEntityManager, scopedTenant, TenantGuard } from './tenant-scope.js';
export { OutboxEventEntity, OutboxRelay, recordEvent, type NewDomainEvent, type OutboxEvent } from './outbox.js';
export { ProcessedEventEntity, applyOnce } from './processed-event.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, findPage, pageRequest, totalOf, type Connection, type PageRequest } from './pagination.js';
export { flushOrConflict } from './flush.js';
export { applyChanges, type FieldChange } from './changes.js';
