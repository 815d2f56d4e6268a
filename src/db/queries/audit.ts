// The audit trail: one row per change, written inside the same transaction as the change itself.
import type { Db } from '../connection.ts';
import { auditLog } from '../schema.ts';

export interface AuditEntry {
  actorId: number | null;
  action: string;
  entity: string;
  entityId: number | null;
  before?: unknown;
  after?: unknown;
}

export function recordAudit(tx: Db, entry: AuditEntry, at = Date.now()): void {
  tx.insert(auditLog)
    .values({
      at,
      actorId: entry.actorId,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .run();
}
