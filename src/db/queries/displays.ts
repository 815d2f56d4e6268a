// Wall displays: a TV's pairing request, its claim by a leader, the TV's pick-up of its credential, and revocation.
// Only hashes of the TV's secrets are kept; the codes are short-lived and single-use.
import { randomBytes, randomInt } from 'node:crypto';
import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../connection.ts';
import { writeTransaction } from '../connection.ts';
import { prepared } from '../prepared.ts';
import { displayPairings, displays, people, schools, teams } from '../schema.ts';
import type { DisplayKind } from '../../domain/access.ts';
import { recordAudit } from './audit.ts';
import { hashToken } from './auth.ts';

export type Display = typeof displays.$inferSelect;

/** Letters and digits a person cannot mistake for one another on a TV across a room (no 0/O, 1/I/L, 5/S, 2/Z). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRTUVWXY346789';
const CODE_LENGTH = 6;
export const PAIRING_MINUTES = 15;
/** A bound on pairing requests waiting at once, so an unauthenticated page cannot fill the table. */
const MAX_PENDING = 500;

/** "K7Q4MX" → "K7Q 4MX", as the TV shows it. */
export const spacedCode = (code: string) => `${code.slice(0, 3)} ${code.slice(3)}`;
/** What a person typed ("k7q-4mx", "K7Q 4MX") as a code, or null if it cannot be one. */
export function normaliseCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  return code.length === CODE_LENGTH && [...code].every((c) => CODE_ALPHABET.includes(c)) ? code : null;
}

/** A new pairing request: the TV keeps `secret` in a cookie and shows `code`. Null when too many are waiting. */
export function createPairing(db: Db, now: number): { secret: string; code: string; expiresAt: number } | null {
  return writeTransaction(db, (tx) => {
    tx.delete(displayPairings)
      .where(and(lt(displayPairings.expiresAt, now), isNull(displayPairings.displayId)))
      .run();
    const pending = tx.select({ n: sql<number>`count(*)` }).from(displayPairings).get()!.n;
    if (pending >= MAX_PENDING) return null;
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = now + PAIRING_MINUTES * 60_000;
    for (;;) {
      const code = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
      const taken = tx
        .select({ id: displayPairings.id })
        .from(displayPairings)
        .where(eq(displayPairings.code, code))
        .get();
      if (taken) continue;
      tx.insert(displayPairings)
        .values({ code, secretHash: hashToken(secret), expiresAt })
        .run();
      return { secret, code, expiresAt };
    }
  });
}

export function findPairingBySecret(db: Db, secret: string) {
  return (
    db
      .select()
      .from(displayPairings)
      .where(eq(displayPairings.secretHash, hashToken(secret)))
      .get() ?? null
  );
}

/** A pending, unexpired, unclaimed pairing with this code. */
export function findOpenPairing(db: Db, code: string, now: number) {
  const row = db.select().from(displayPairings).where(eq(displayPairings.code, code)).get();
  return row && row.displayId === null && row.expiresAt > now ? row : null;
}

export interface DisplayInput {
  name: string;
  kind: DisplayKind;
  schoolId: number | null;
  teamId: number | null;
  rotateSeconds: number;
}

/** A leader claims a TV's code for a board: the display is made, waiting for the TV to pick up its credential. */
export function claimPairing(
  db: Db,
  actorId: number,
  pairingId: number,
  input: DisplayInput,
  now: number,
): number | null {
  return writeTransaction(db, (tx) => {
    const pairing = tx.select().from(displayPairings).where(eq(displayPairings.id, pairingId)).get();
    if (!pairing || pairing.displayId !== null || pairing.expiresAt <= now) return null;
    const id = tx
      .insert(displays)
      .values({ ...input, pairedBy: actorId })
      .returning({ id: displays.id })
      .get().id;
    tx.update(displayPairings).set({ displayId: id }).where(eq(displayPairings.id, pairingId)).run();
    recordAudit(tx, { actorId, action: 'display.paired', entity: 'display', entityId: id, after: input }, now);
    return id;
  });
}

/**
 * The TV swaps its pairing secret for its display credential, once: the pairing row is deleted and only the new token's
 * hash is kept. Null while the code is unclaimed (or when it was never valid).
 */
export function pickUpCredential(
  db: Db,
  pairingSecret: string,
  now: number,
): { token: string; displayId: number } | null {
  return writeTransaction(db, (tx) => {
    const pairing = tx
      .select()
      .from(displayPairings)
      .where(eq(displayPairings.secretHash, hashToken(pairingSecret)))
      .get();
    if (!pairing || pairing.displayId === null) return null;
    tx.delete(displayPairings).where(eq(displayPairings.id, pairing.id)).run();
    const display = tx.select().from(displays).where(eq(displays.id, pairing.displayId)).get();
    if (!display || display.revokedAt !== null || display.tokenHash !== null) return null;
    const token = randomBytes(32).toString('base64url');
    tx.update(displays)
      .set({ tokenHash: hashToken(token), lastSeenAt: now })
      .where(eq(displays.id, display.id))
      .run();
    return { token, displayId: display.id };
  });
}

/** The unrevoked display a credential belongs to: the one lookup every display request makes. */
export function findDisplayByToken(db: Db, token: string): Display | null {
  const row = prepared(db, 'display-by-token', () =>
    db
      .select()
      .from(displays)
      .where(eq(displays.tokenHash, sql.placeholder('hash')))
      .prepare(),
  ).get({ hash: hashToken(token) });
  return row && row.revokedAt === null ? row : null;
}

export const findDisplay = (db: Db, id: number) => db.select().from(displays).where(eq(displays.id, id)).get() ?? null;

export function revokeDisplay(db: Db, actorId: number, id: number, now: number): boolean {
  return writeTransaction(db, (tx) => {
    const display = tx.select().from(displays).where(eq(displays.id, id)).get();
    if (!display || display.revokedAt !== null) return false;
    tx.update(displays).set({ revokedAt: now, revokedBy: actorId }).where(eq(displays.id, id)).run();
    // A TV that never picked up its credential must not pick it up later.
    tx.delete(displayPairings).where(eq(displayPairings.displayId, id)).run();
    recordAudit(
      tx,
      { actorId, action: 'display.revoked', entity: 'display', entityId: id, before: { name: display.name } },
      now,
    );
    return true;
  });
}

/** Last seen, for the list of displays: one statement for every connected display. */
export function touchDisplays(db: Db, ids: readonly number[], now: number): void {
  if (ids.length)
    db.update(displays)
      .set({ lastSeenAt: now })
      .where(inArray(displays.id, [...ids]))
      .run();
}

/** The displays a person may manage (all for a trust admin; otherwise those they paired), newest first, with names to show. */
export function listDisplays(db: Db, pairedBy: number | null) {
  return db
    .select({
      id: displays.id,
      name: displays.name,
      kind: displays.kind,
      rotateSeconds: displays.rotateSeconds,
      schoolName: schools.name,
      teamName: teams.name,
      pairedByName: people.name,
      pairedBy: displays.pairedBy,
      waiting: sql<number>`${displays.tokenHash} is null`,
      lastSeenAt: displays.lastSeenAt,
      createdAt: displays.createdAt,
    })
    .from(displays)
    .leftJoin(schools, eq(schools.id, displays.schoolId))
    .leftJoin(teams, eq(teams.id, displays.teamId))
    .leftJoin(people, eq(people.id, displays.pairedBy))
    .where(
      pairedBy === null ? isNull(displays.revokedAt) : and(isNull(displays.revokedAt), eq(displays.pairedBy, pairedBy)),
    )
    .orderBy(desc(displays.id))
    .all();
}
