// The drizzle schema: one SQLite database per trust. Later areas (WIGs, measures, sessions, term dates, reminders) add tables here.
import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  real,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from 'drizzle-orm/sqlite-core';
// The value lists are the domain's: declared once there, checked by the database here.
import { displayKinds, roleKinds } from '../domain/access.ts';
import { closureKinds } from '../domain/calendar.ts';
import { commitmentOutcomes, pathRequestStatuses } from '../domain/commitments.ts';
import { leadMeasureKinds, leadMeasureStatuses } from '../domain/lead-measures.ts';
import { outboxStatuses, reminderKinds } from '../domain/reminders.ts';
import { directions, wigLevels, wigStatuses } from '../domain/wig.ts';

const createdAt = () => integer('created_at').notNull().default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);

/** One row (id = 1): the trust this database belongs to. */
export const trustSettings = sqliteTable(
  'trust_settings',
  {
    id: integer('id').primaryKey(),
    name: text('name').notNull(),
    timeZone: text('time_zone').notNull().default('Europe/London'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [check('trust_settings_single_row', sql`${t.id} = 1`)],
);

/** Secrets the app makes for itself on first start (the cookie signing key), so nothing has to be configured. */
export const appSecrets = sqliteTable('app_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});

export const schools = sqliteTable(
  'schools',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    /** DfE Unique Reference Number (six digits), when the school has one. */
    urn: text('urn'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('schools_urn_unique').on(t.urn), uniqueIndex('schools_name_unique').on(t.name)],
);

/** A team belongs to one school, or to the trust when school_id is null (e.g. "Trust SENDCO network"). */
export const teams = sqliteTable(
  'teams',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    schoolId: integer('school_id').references(() => schools.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    /** ISO weekday of the weekly WIG session: 1 = Monday … 7 = Sunday. */
    sessionWeekday: integer('session_weekday').notNull().default(2),
    /** Local time of the session in the trust's time zone, "HH:MM". */
    sessionTime: text('session_time').notNull().default('08:00'),
    sessionMinutes: integer('session_minutes').notNull().default(20),
    createdAt: createdAt(),
  },
  (t) => [
    index('teams_school_idx').on(t.schoolId),
    check('teams_weekday_range', sql`${t.sessionWeekday} between 1 and 7`),
    check('teams_minutes_range', sql`${t.sessionMinutes} between 5 and 30`),
  ],
);

export const people = sqliteTable(
  'people',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    /** Stored lower-cased; the sign-in name. */
    email: text('email').notNull(),
    /** scrypt$N$r$p$salt$hash; null until the person accepts their invitation. */
    passwordHash: text('password_hash'),
    disabledAt: integer('disabled_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('people_email_unique').on(t.email)],
);

/**
 * What a person may do, and where: trust-wide roles have neither school nor team; school_leader names a
 * school; team_leader and team_member name a team. `title` is the human job title (CEO, Headteacher, SENDCO…).
 */
export const roleAssignments = sqliteTable(
  'role_assignments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    role: text('role', { enum: roleKinds }).notNull(),
    title: text('title'),
    schoolId: integer('school_id').references(() => schools.id, { onDelete: 'cascade' }),
    teamId: integer('team_id').references(() => teams.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('role_assignments_person_idx').on(t.personId),
    index('role_assignments_team_idx').on(t.teamId),
    index('role_assignments_school_idx').on(t.schoolId),
    // One trust-wide assignment of each kind, one school role per school, one role per team.
    uniqueIndex('role_assignments_trust_unique')
      .on(t.personId, t.role)
      .where(sql`school_id is null and team_id is null`),
    uniqueIndex('role_assignments_school_unique').on(t.personId, t.schoolId).where(sql`school_id is not null`),
    uniqueIndex('role_assignments_team_unique').on(t.personId, t.teamId).where(sql`team_id is not null`),
    check(
      'role_assignments_scope',
      sql`(${t.role} in ('trust_admin', 'trust_leader') and ${t.schoolId} is null and ${t.teamId} is null)
        or (${t.role} = 'school_leader' and ${t.schoolId} is not null and ${t.teamId} is null)
        or (${t.role} in ('team_leader', 'team_member') and ${t.teamId} is not null and ${t.schoolId} is null)`,
    ),
  ],
);

/** Server-side sign-in sessions: deleting a row signs that device out at once. */
export const signInSessions = sqliteTable(
  'web_sessions',
  {
    id: text('id').primaryKey(),
    personId: integer('person_id').references(() => people.id, { onDelete: 'cascade' }),
    data: text('data').notNull(),
    expiresAt: integer('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('web_sessions_person_idx').on(t.personId), index('web_sessions_expires_idx').on(t.expiresAt)],
);

export const tokenPurposes = ['invitation', 'password_reset'] as const;
export type TokenPurpose = (typeof tokenPurposes)[number];

/** Single-use, expiring links: only a hash of the token is kept. */
export const authTokens = sqliteTable(
  'auth_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: tokenPurposes }).notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    createdBy: integer('created_by').references(() => people.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('auth_tokens_hash_unique').on(t.tokenHash), index('auth_tokens_person_idx').on(t.personId)],
);

/** Every change worth answering for: who, when, what, before → after (JSON). Never updated, never deleted. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    actorId: integer('actor_id').references(() => people.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: integer('entity_id'),
    before: text('before'),
    after: text('after'),
  },
  (t) => [index('audit_log_entity_idx').on(t.entity, t.entityId), index('audit_log_at_idx').on(t.at)],
);

// ——— The school year ———

/** An academic year of the trust ("2026–27"), made of terms; the gaps between terms are holidays. */
export const academicYears = sqliteTable(
  'academic_years',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    startDate: text('start_date').notNull(),
    endDate: text('end_date').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('academic_years_name_unique').on(t.name),
    check('academic_years_order', sql`${t.startDate} <= ${t.endDate}`),
  ],
);

/** A term or half-term: the dates pupils are in school, before closures are taken out. */
export const terms = sqliteTable(
  'terms',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    academicYearId: integer('academic_year_id')
      .notNull()
      .references(() => academicYears.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    startDate: text('start_date').notNull(),
    endDate: text('end_date').notNull(),
  },
  (t) => [index('terms_year_idx').on(t.academicYearId), check('terms_order', sql`${t.startDate} <= ${t.endDate}`)],
);

/** Days inside a term with no school: trust-wide (school_id null) or one school's own (an INSET day, a polling day). */
export const closures = sqliteTable(
  'closures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    schoolId: integer('school_id').references(() => schools.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: closureKinds }).notNull(),
    name: text('name').notNull(),
    startDate: text('start_date').notNull(),
    endDate: text('end_date').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('closures_school_idx').on(t.schoolId),
    index('closures_dates_idx').on(t.startDate),
    check('closures_order', sql`${t.startDate} <= ${t.endDate}`),
  ],
);

// ——— WIGs and measures ———

/** A Wildly Important Goal: "From baseline to target (unit) by deadline", owned by the trust, a school or a team. */
export const wigs = sqliteTable(
  'wigs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    level: text('level', { enum: wigLevels }).notNull(),
    /** The owning school (school WIGs) or the team's school (team WIGs; null for a trust team). */
    schoolId: integer('school_id').references(() => schools.id, { onDelete: 'restrict' }),
    teamId: integer('team_id').references(() => teams.id, { onDelete: 'restrict' }),
    /** The WIG this one serves: team → school or trust, school → trust. */
    parentId: integer('parent_id').references((): AnySQLiteColumn => wigs.id, { onDelete: 'restrict' }),
    lagName: text('lag_name').notNull(),
    unit: text('unit').notNull().default(''),
    direction: text('direction', { enum: directions }),
    baseline: real('baseline'),
    target: real('target'),
    startDate: text('start_date'),
    deadline: text('deadline'),
    status: text('status', { enum: wigStatuses }).notNull().default('draft'),
    vetoReason: text('veto_reason'),
    vetoedBy: integer('vetoed_by').references(() => people.id, { onDelete: 'set null' }),
    vetoedAt: integer('vetoed_at'),
    createdBy: integer('created_by').references(() => people.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('wigs_team_idx').on(t.teamId, t.status),
    index('wigs_school_idx').on(t.schoolId, t.status),
    index('wigs_parent_idx').on(t.parentId),
    check(
      'wigs_owner',
      sql`(${t.level} = 'trust' and ${t.schoolId} is null and ${t.teamId} is null)
        or (${t.level} = 'school' and ${t.schoolId} is not null and ${t.teamId} is null)
        or (${t.level} = 'team' and ${t.teamId} is not null)`,
    ),
  ],
);

/** Dated values of a WIG's lag measure; a correction updates the value and the audit log keeps what it was. */
export const lagReadings = sqliteTable(
  'lag_readings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    wigId: integer('wig_id')
      .notNull()
      .references(() => wigs.id, { onDelete: 'cascade' }),
    date: text('date').notNull(),
    value: real('value').notNull(),
    note: text('note'),
    enteredBy: integer('entered_by').references(() => people.id, { onDelete: 'set null' }),
    enteredAt: integer('entered_at').notNull(),
  },
  (t) => [uniqueIndex('lag_readings_wig_date_unique').on(t.wigId, t.date)],
);

/** A lead measure of a WIG: a weekly number (for the team, or for each person) or a daily yes/no standard. */
export const leadMeasures = sqliteTable(
  'lead_measures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    wigId: integer('wig_id')
      .notNull()
      .references(() => wigs.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    kind: text('kind', { enum: leadMeasureKinds }).notNull(),
    /** One entry per person (true) or one for the whole team (false). */
    perPerson: integer('per_person', { mode: 'boolean' }).notNull(),
    unit: text('unit').notNull().default(''),
    direction: text('direction', { enum: directions }).notNull().default('increase'),
    status: text('status', { enum: leadMeasureStatuses }).notNull().default('active'),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index('lead_measures_wig_idx').on(t.wigId, t.status)],
);

/** A lead measure's weekly target from a given Monday on; a change starts next week so past weeks keep theirs. */
export const leadTargets = sqliteTable(
  'lead_targets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    leadMeasureId: integer('lead_measure_id')
      .notNull()
      .references(() => leadMeasures.id, { onDelete: 'cascade' }),
    fromWeek: text('from_week').notNull(),
    target: real('target').notNull(),
    setBy: integer('set_by').references(() => people.id, { onDelete: 'set null' }),
    setAt: integer('set_at').notNull(),
  },
  (t) => [uniqueIndex('lead_targets_measure_week_unique').on(t.leadMeasureId, t.fromWeek)],
);

/** A week's number for a lead measure: one per person (per-person measures) or one for the team (person_id null). */
export const leadEntries = sqliteTable(
  'lead_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    leadMeasureId: integer('lead_measure_id')
      .notNull()
      .references(() => leadMeasures.id, { onDelete: 'cascade' }),
    week: text('week').notNull(),
    personId: integer('person_id').references(() => people.id, { onDelete: 'restrict' }),
    value: real('value').notNull(),
    enteredBy: integer('entered_by').references(() => people.id, { onDelete: 'set null' }),
    enteredAt: integer('entered_at').notNull(),
  },
  (t) => [
    uniqueIndex('lead_entries_person_unique').on(t.leadMeasureId, t.week, t.personId).where(sql`person_id is not null`),
    uniqueIndex('lead_entries_team_unique').on(t.leadMeasureId, t.week).where(sql`person_id is null`),
    index('lead_entries_week_idx').on(t.week),
    // The partial unique indexes cannot serve "these measures, these weeks" (their WHERE is not implied): this one does.
    index('lead_entries_measure_week_idx').on(t.leadMeasureId, t.week),
  ],
);

/** A daily standard kept (or not) on one school day, by a person or by the team (person_id null). */
export const leadDayEntries = sqliteTable(
  'lead_day_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    leadMeasureId: integer('lead_measure_id')
      .notNull()
      .references(() => leadMeasures.id, { onDelete: 'cascade' }),
    date: text('date').notNull(),
    personId: integer('person_id').references(() => people.id, { onDelete: 'restrict' }),
    kept: integer('kept', { mode: 'boolean' }).notNull(),
    enteredBy: integer('entered_by').references(() => people.id, { onDelete: 'set null' }),
    enteredAt: integer('entered_at').notNull(),
  },
  (t) => [
    uniqueIndex('lead_day_entries_person_unique')
      .on(t.leadMeasureId, t.date, t.personId)
      .where(sql`person_id is not null`),
    uniqueIndex('lead_day_entries_team_unique').on(t.leadMeasureId, t.date).where(sql`person_id is null`),
    index('lead_day_entries_measure_date_idx').on(t.leadMeasureId, t.date),
  ],
);

// ——— Wall displays ———

/**
 * A TV's pairing request: the TV holds a random secret in a cookie (only its hash is here) and shows `code`; a leader
 * who enters the code claims it for a display, and the TV's next check swaps its secret for the display credential.
 */
export const displayPairings = sqliteTable(
  'display_pairings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull(),
    secretHash: text('secret_hash').notNull(),
    expiresAt: integer('expires_at').notNull(),
    displayId: integer('display_id').references((): AnySQLiteColumn => displays.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('display_pairings_code_unique').on(t.code),
    uniqueIndex('display_pairings_secret_unique').on(t.secretHash),
  ],
);

/** A paired wall display: a revocable, read-only credential (its hash) for one board: a team, a rotation, a school or the trust tree. */
export const displays = sqliteTable(
  'displays',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    kind: text('kind', { enum: displayKinds }).notNull(),
    schoolId: integer('school_id').references(() => schools.id, { onDelete: 'cascade' }),
    teamId: integer('team_id').references(() => teams.id, { onDelete: 'cascade' }),
    rotateSeconds: integer('rotate_seconds').notNull().default(20),
    /** Null until the TV has picked up its credential. */
    tokenHash: text('token_hash'),
    pairedBy: integer('paired_by').references(() => people.id, { onDelete: 'set null' }),
    lastSeenAt: integer('last_seen_at'),
    revokedAt: integer('revoked_at'),
    revokedBy: integer('revoked_by').references(() => people.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('displays_token_unique').on(t.tokenHash),
    index('displays_school_idx').on(t.schoolId),
    check('displays_rotate_range', sql`${t.rotateSeconds} between 5 and 600`),
    check(
      'displays_target',
      sql`(${t.kind} = 'team' and ${t.teamId} is not null)
        or (${t.kind} in ('rotation', 'school') and ${t.schoolId} is not null and ${t.teamId} is null)
        or (${t.kind} = 'trust' and ${t.schoolId} is null and ${t.teamId} is null)`,
    ),
  ],
);

// ——— The cadence of accountability ———

/** A team's WIG session of one school week (week = its Monday), recorded as held; a due week with no row is missed. */
export const wigSessions = sqliteTable(
  'wig_sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: integer('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    week: text('week').notNull(),
    /** When the session was held (ms); set when it is saved as held. */
    heldAt: integer('held_at').notNull(),
    /** Review the scoreboard: what worked, what did not. */
    worked: text('worked').notNull().default(''),
    didNotWork: text('did_not_work').notNull().default(''),
    recordedBy: integer('recorded_by').references(() => people.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('wig_sessions_team_week_unique').on(t.teamId, t.week)],
);

/** Who was at a session (present) and who was not. */
export const sessionAttendance = sqliteTable(
  'session_attendance',
  {
    sessionId: integer('session_id')
      .notNull()
      .references(() => wigSessions.id, { onDelete: 'cascade' }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    present: integer('present', { mode: 'boolean' }).notNull(),
  },
  (t) => [
    uniqueIndex('session_attendance_unique').on(t.sessionId, t.personId),
    index('session_attendance_person_idx').on(t.personId),
  ],
);

/** One person's commitment for a school week (week = the Monday of the week it is for), linked to a lead measure. */
export const commitments = sqliteTable(
  'commitments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: integer('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'restrict' }),
    week: text('week').notNull(),
    leadMeasureId: integer('lead_measure_id').references(() => leadMeasures.id, { onDelete: 'set null' }),
    text: text('text').notNull(),
    /** The session it was made in. */
    sessionId: integer('session_id').references(() => wigSessions.id, { onDelete: 'set null' }),
    /** How it went, accounted for at the next session. */
    outcome: text('outcome', { enum: commitmentOutcomes }),
    outcomeNote: text('outcome_note'),
    accountedSessionId: integer('accounted_session_id').references(() => wigSessions.id, { onDelete: 'set null' }),
    createdBy: integer('created_by').references(() => people.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('commitments_team_week_idx').on(t.teamId, t.week),
    index('commitments_person_week_idx').on(t.personId, t.week),
  ],
);

/** Clear the path: a request for help raised in a session, assigned to a named leader and tracked until resolved. */
export const pathRequests = sqliteTable(
  'path_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: integer('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    sessionId: integer('session_id').references(() => wigSessions.id, { onDelete: 'set null' }),
    /** The school week it was raised in. */
    week: text('week').notNull(),
    text: text('text').notNull(),
    raisedBy: integer('raised_by').references(() => people.id, { onDelete: 'set null' }),
    assigneeId: integer('assignee_id')
      .notNull()
      .references(() => people.id, { onDelete: 'restrict' }),
    status: text('status', { enum: pathRequestStatuses }).notNull().default('open'),
    resolution: text('resolution'),
    resolvedBy: integer('resolved_by').references(() => people.id, { onDelete: 'set null' }),
    resolvedAt: integer('resolved_at'),
    raisedAt: integer('raised_at').notNull(),
  },
  (t) => [
    index('path_requests_team_idx').on(t.teamId, t.status),
    index('path_requests_assignee_idx').on(t.assigneeId, t.status),
  ],
);

/** A person's revocable calendar subscription to a team's WIG sessions: only a hash of the URL's token is kept. */
export const calendarFeeds = sqliteTable(
  'calendar_feeds',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    teamId: integer('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    revokedAt: integer('revoked_at'),
    lastUsedAt: integer('last_used_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('calendar_feeds_token_unique').on(t.tokenHash),
    index('calendar_feeds_person_idx').on(t.personId, t.teamId),
  ],
);

// ——— Cadence reminders ———

/**
 * When each kind of reminder is sent and whether it is on: the trust's row (school_id null) and a school's overrides.
 * `sendTime` is local "HH:MM"; `dayOffset` counts school days from the kind's anchor day (e.g. -1 = the school day before the session).
 */
export const reminderSettings = sqliteTable(
  'reminder_settings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: reminderKinds }).notNull(),
    schoolId: integer('school_id').references(() => schools.id, { onDelete: 'cascade' }),
    enabled: integer('enabled', { mode: 'boolean' }).notNull(),
    sendTime: text('send_time').notNull(),
    dayOffset: integer('day_offset').notNull().default(0),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('reminder_settings_trust_unique').on(t.kind).where(sql`school_id is null`),
    uniqueIndex('reminder_settings_school_unique').on(t.kind, t.schoolId).where(sql`school_id is not null`),
  ],
);

/** Every reminder that fell due, under its unique key (kind + recipient + school week): written once, sent at most once. */
export const reminderOutbox = sqliteTable(
  'reminder_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    key: text('key').notNull(),
    kind: text('kind', { enum: reminderKinds }).notNull(),
    personId: integer('person_id').references(() => people.id, { onDelete: 'set null' }),
    toAddress: text('to_address').notNull(),
    schoolId: integer('school_id').references(() => schools.id, { onDelete: 'set null' }),
    teamId: integer('team_id').references(() => teams.id, { onDelete: 'set null' }),
    week: text('week').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body').notNull(),
    /** When it fell due, and after when it is stale and no longer worth sending (ms). */
    dueAt: integer('due_at').notNull(),
    staleAt: integer('stale_at').notNull(),
    status: text('status', { enum: outboxStatuses }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error'),
    sentAt: integer('sent_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('reminder_outbox_key_unique').on(t.key),
    index('reminder_outbox_status_idx').on(t.status, t.nextAttemptAt),
  ],
);

/** Optional kinds of reminder a person has stopped. */
export const reminderOptOuts = sqliteTable(
  'reminder_opt_outs',
  {
    personId: integer('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: reminderKinds }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('reminder_opt_outs_unique').on(t.personId, t.kind)],
);
