// Sign-in sessions and single-use links (invitations, password resets).
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, desc, sql } from 'drizzle-orm';
import { writeTransaction, type Db } from '../connection.ts';
import { authTokens, people, signInSessions, type TokenPurpose } from '../schema.ts';
import { recordAudit } from './audit.ts';
import { prepared } from '../prepared.ts';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export function getSignInSession(db: Db, id: string, now = Date.now()) {
  const statement = prepared(db, 'getSignInSession', () =>
    db
      .select()
      .from(signInSessions)
      .where(and(eq(signInSessions.id, sql.placeholder('id')), gt(signInSessions.expiresAt, sql.placeholder('now'))))
      .prepare(),
  );
  return statement.get({ id, now }) ?? null;
}

export function putSignInSession(db: Db, id: string, personId: number | null, data: string, expiresAt: number): void {
  db.insert(signInSessions)
    .values({ id, personId, data, expiresAt })
    .onConflictDoUpdate({ target: signInSessions.id, set: { personId, data, expiresAt } })
    .run();
}

export function deleteSignInSession(db: Db, id: string): void {
  db.delete(signInSessions).where(eq(signInSessions.id, id)).run();
}

export function deleteExpiredSignInSessions(db: Db, now = Date.now()): number {
  return db.delete(signInSessions).where(lt(signInSessions.expiresAt, now)).run().changes;
}

/** Makes a new link for a person, revoking their earlier unused links of the same purpose. Returns the raw token (shown once). */
export function issueToken(
  db: Db,
  actorId: number | null,
  personId: number,
  purpose: TokenPurpose,
  ttlMs: number,
  now = Date.now(),
): string {
  const token = randomBytes(32).toString('base64url');
  writeTransaction(db, (tx) => {
    tx.update(authTokens)
      .set({ usedAt: now })
      .where(and(eq(authTokens.personId, personId), eq(authTokens.purpose, purpose), isNull(authTokens.usedAt)))
      .run();
    tx.insert(authTokens)
      .values({ personId, purpose, tokenHash: hashToken(token), expiresAt: now + ttlMs, createdBy: actorId })
      .run();
    recordAudit(
      tx,
      { actorId, action: `issue_${purpose}`, entity: 'person', entityId: personId, after: { expiresAt: now + ttlMs } },
      now,
    );
  });
  return token;
}

/** The person a link is for, if it is unused, unexpired, and its person not disabled. */
export function findUsableToken(db: Db, token: string, purpose: TokenPurpose, now = Date.now()) {
  return (
    db
      .select({
        tokenId: authTokens.id,
        personId: people.id,
        name: people.name,
        email: people.email,
        expiresAt: authTokens.expiresAt,
      })
      .from(authTokens)
      .innerJoin(people, eq(people.id, authTokens.personId))
      .where(
        and(
          eq(authTokens.tokenHash, hashToken(token)),
          eq(authTokens.purpose, purpose),
          isNull(authTokens.usedAt),
          gt(authTokens.expiresAt, now),
          isNull(people.disabledAt),
        ),
      )
      .get() ?? null
  );
}

/**
 * Uses a link once: sets the password and ends the person's other sessions, all in one transaction.
 * Returns false when the link was used in the meantime (two tabs racing), so nothing is changed twice.
 */
export function redeemToken(
  db: Db,
  tokenId: number,
  personId: number,
  passwordHash: string,
  now = Date.now(),
): boolean {
  return writeTransaction(db, (tx) => {
    const used = tx
      .update(authTokens)
      .set({ usedAt: now })
      .where(and(eq(authTokens.id, tokenId), isNull(authTokens.usedAt), gt(authTokens.expiresAt, now)))
      .run();
    if (used.changes !== 1) return false;
    tx.update(people).set({ passwordHash }).where(eq(people.id, personId)).run();
    tx.delete(signInSessions).where(eq(signInSessions.personId, personId)).run();
    recordAudit(tx, { actorId: personId, action: 'set_password', entity: 'person', entityId: personId }, now);
    return true;
  });
}

/** Outstanding links, newest first, for the admin's list. */
export function pendingTokens(db: Db, now = Date.now()) {
  return db
    .select({
      id: authTokens.id,
      purpose: authTokens.purpose,
      expiresAt: authTokens.expiresAt,
      createdAt: authTokens.createdAt,
      personId: people.id,
      name: people.name,
      email: people.email,
    })
    .from(authTokens)
    .innerJoin(people, eq(people.id, authTokens.personId))
    .where(and(isNull(authTokens.usedAt), gt(authTokens.expiresAt, now)))
    .orderBy(desc(authTokens.id))
    .all();
}
