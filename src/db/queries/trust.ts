// Trust settings (the single row) and the app's own secrets.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { writeTransaction, type Db } from '../connection.ts';
import { appSecrets, trustSettings } from '../schema.ts';
import { recordAudit } from './audit.ts';
import { prepared } from '../prepared.ts';

export interface TrustSettings {
  name: string;
  timeZone: string;
}

export function getTrustSettings(db: Db): TrustSettings | null {
  const row = prepared(db, 'trustSettings', () => db.select().from(trustSettings).where(eq(trustSettings.id, 1)).prepare()).get();
  return row ? { name: row.name, timeZone: row.timeZone } : null;
}

export function saveTrustSettings(db: Db, actorId: number | null, next: TrustSettings): void {
  writeTransaction(db, (tx) => {
    const before = getTrustSettings(tx);
    tx.insert(trustSettings)
      .values({ id: 1, ...next, updatedAt: Date.now() })
      .onConflictDoUpdate({ target: trustSettings.id, set: { ...next, updatedAt: Date.now() } })
      .run();
    recordAudit(tx, { actorId, action: before ? 'update' : 'create', entity: 'trust_settings', entityId: 1, before, after: next });
  });
}

/** Returns the named secret, creating a random one the first time (kept in the database, so restarts keep sessions). */
export function ensureSecret(db: Db, name: string): string {
  return writeTransaction(db, (tx) => {
    const row = tx.select().from(appSecrets).where(eq(appSecrets.name, name)).get();
    if (row) return row.value;
    const value = randomBytes(48).toString('base64url');
    tx.insert(appSecrets).values({ name, value }).run();
    return value;
  });
}
