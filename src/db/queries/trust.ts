// Trust settings (the single row) and the app's own secrets.
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { writeTransaction, type Db } from '../connection.ts';
import { appSecrets, people, roleAssignments, trustSettings } from '../schema.ts';
import { recordAudit } from './audit.ts';
import { prepared } from '../prepared.ts';

export interface TrustSettings {
  name: string;
  timeZone: string;
}

export function getTrustSettings(db: Db): TrustSettings | null {
  const row = prepared(db, 'trustSettings', () =>
    db.select().from(trustSettings).where(eq(trustSettings.id, 1)).prepare(),
  ).get();
  return row ? { name: row.name, timeZone: row.timeZone } : null;
}

export function saveTrustSettings(db: Db, actorId: number | null, next: TrustSettings): void {
  writeTransaction(db, (tx) => {
    const before = getTrustSettings(tx);
    tx.insert(trustSettings)
      .values({ id: 1, ...next, updatedAt: Date.now() })
      .onConflictDoUpdate({ target: trustSettings.id, set: { ...next, updatedAt: Date.now() } })
      .run();
    recordAudit(tx, {
      actorId,
      action: before ? 'update' : 'create',
      entity: 'trust_settings',
      entityId: 1,
      before,
      after: next,
    });
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

/**
 * The first run: the trust's name and time zone, and its first trust admin, in one transaction. Returns the admin's id,
 * or null when someone is already there (checked inside the write lock: two first-run forms racing make one admin).
 */
export function setUpTrust(
  db: Db,
  input: { trustName: string; timeZone: string; name: string; email: string; passwordHash: string },
): number | null {
  const { trustName, timeZone, name, email, passwordHash } = input;
  return writeTransaction(db, (tx) => {
    if (tx.select({ id: people.id }).from(people).limit(1).get()) return null;
    tx.insert(trustSettings)
      .values({ id: 1, name: trustName, timeZone, updatedAt: Date.now() })
      .onConflictDoUpdate({ target: trustSettings.id, set: { name: trustName, timeZone } })
      .run();
    const row = tx.insert(people).values({ name, email, passwordHash }).returning({ id: people.id }).get();
    tx.insert(roleAssignments).values({ personId: row.id, role: 'trust_admin' }).run();
    recordAudit(tx, {
      actorId: row.id,
      action: 'setup',
      entity: 'trust_settings',
      entityId: 1,
      after: { trustName, timeZone, admin: email },
    });
    return row.id;
  });
}

/** Whether the database answers at all (the health check). */
export function databaseAnswers(db: Db): void {
  db.get(sql`select 1`);
}
