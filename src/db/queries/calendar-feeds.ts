// Calendar subscriptions: a person's revocable token for a team's WIG session feed; only the token's hash is kept.
import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { writeTransaction, type Db } from '../connection.ts';
import { calendarFeeds, people, teams } from '../schema.ts';
import { recordAudit } from './audit.ts';
import { hashToken } from './auth.ts';

/** The person's live feed for a team, if any (never its token: that was shown once). */
export function activeFeed(db: Db, personId: number, teamId: number) {
  return (
    db
      .select({ id: calendarFeeds.id, createdAt: calendarFeeds.createdAt, lastUsedAt: calendarFeeds.lastUsedAt })
      .from(calendarFeeds)
      .where(
        and(eq(calendarFeeds.personId, personId), eq(calendarFeeds.teamId, teamId), isNull(calendarFeeds.revokedAt)),
      )
      .get() ?? null
  );
}

function revokeLive(tx: Db, personId: number, teamId: number, now: number): number {
  return tx
    .update(calendarFeeds)
    .set({ revokedAt: now })
    .where(and(eq(calendarFeeds.personId, personId), eq(calendarFeeds.teamId, teamId), isNull(calendarFeeds.revokedAt)))
    .run().changes;
}

/** A new feed for the person and team; any older one stops working in the same transaction. Returns the token, once. */
export function createFeed(db: Db, personId: number, teamId: number, now: number): string {
  const token = randomBytes(32).toString('base64url');
  writeTransaction(db, (tx) => {
    const revoked = revokeLive(tx, personId, teamId, now);
    const id = tx
      .insert(calendarFeeds)
      .values({ personId, teamId, tokenHash: hashToken(token), createdAt: now })
      .returning({ id: calendarFeeds.id })
      .get().id;
    recordAudit(
      tx,
      {
        actorId: personId,
        action: 'create',
        entity: 'calendar_feed',
        entityId: id,
        after: { teamId, replaced: revoked },
      },
      now,
    );
  });
  return token;
}

/** Stops the person's feed for a team; false when there was none. */
export function revokeFeed(db: Db, personId: number, teamId: number, now: number): boolean {
  return writeTransaction(db, (tx) => {
    const feed = activeFeed(tx, personId, teamId);
    if (!feed) return false;
    revokeLive(tx, personId, teamId, now);
    recordAudit(
      tx,
      { actorId: personId, action: 'revoke', entity: 'calendar_feed', entityId: feed.id, after: { teamId } },
      now,
    );
    return true;
  });
}

/** The live feed a token opens, with its team and whether its person may still use it; null for an unknown or revoked token. */
export function feedByToken(db: Db, token: string) {
  return (
    db
      .select({
        id: calendarFeeds.id,
        personId: calendarFeeds.personId,
        personDisabledAt: people.disabledAt,
        team: teams,
      })
      .from(calendarFeeds)
      .innerJoin(people, eq(people.id, calendarFeeds.personId))
      .innerJoin(teams, eq(teams.id, calendarFeeds.teamId))
      .where(and(eq(calendarFeeds.tokenHash, hashToken(token)), isNull(calendarFeeds.revokedAt)))
      .get() ?? null
  );
}

/** Notes when a calendar last fetched the feed (no audit row: a read, many times a day). */
export function touchFeed(db: Db, id: number, now: number): void {
  db.update(calendarFeeds).set({ lastUsedAt: now }).where(eq(calendarFeeds.id, id)).run();
}
