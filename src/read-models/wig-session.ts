// What the WIG session page shows (the team's people, last week's commitments to account for, the scoreboard to review,
// the plan) and the team page's session lines, as plain data for the partials.
import type { Db } from '../db/connection.ts';
import { schoolCalendar } from '../db/queries/calendar.ts';
import { teamRoster } from '../db/queries/people.ts';
import type { School, Team } from '../db/queries/schools.ts';
import {
  ACCOUNT_LOOKBACK_DAYS,
  attendanceOf,
  commitmentsMadeIn,
  commitmentsToAccount,
  findWigSession,
  heldWigSessions,
  openTeamPathRequests,
  pathAssignees,
  pathRequestsRaisedIn,
  teamCurrentCommitments,
} from '../db/queries/wig-sessions.ts';
import { activeTeamMeasures } from '../db/queries/weekly-update.ts';
import { rules, type Principal } from '../domain/access.ts';
import { sessionDate, sessionState, sessionStateWords } from '../domain/cadence.ts';
import { addDays, isSchoolWeek, weekStart, type IsoDate, type SchoolCalendar } from '../domain/calendar.ts';
import {
  COMMITMENT_MAX,
  COMMITMENT_SLOTS,
  commitmentOutcomes,
  commitmentWarnings,
  commitmentWeek,
  NOTE_MAX,
  outcomeWords,
  PATH_REQUEST_SLOTS,
  REVIEW_MAX,
} from '../domain/commitments.ts';
import { formatDay } from '../domain/dates.ts';
import { weekLabel } from '../domain/weekly-update.ts';
import { withUnit } from '../domain/wig.ts';
import type { FieldErrors } from '../forms.ts';
import { scoreboardHelpers, teamBoards } from './team-board.ts';

export interface SessionContext {
  db: Db;
  team: Team;
  /** The team's school (null for a trust team). */
  school: School | null;
  week: IsoDate;
  today: IsoDate;
  calendar: SchoolCalendar;
  principal: Principal;
}

/** What the form works on: the team's people, what is to be accounted for, and what the session already holds. */
export function sessionFacts(ctx: SessionContext) {
  const { db, team, week } = ctx;
  const session = findWigSession(db, team.id, week);
  const seen = new Set<number>();
  const roster = teamRoster(db, team.id).filter(
    (p) => p.disabledAt === null && !seen.has(p.personId) && seen.add(p.personId),
  );
  const toAccount = commitmentsToAccount(db, team.id, week, session?.id ?? null, addDays(week, -ACCOUNT_LOOKBACK_DAYS));
  const made = session ? commitmentsMadeIn(db, session.id) : [];
  const measures = activeTeamMeasures(db, [team.id]);
  return {
    session,
    roster,
    toAccount,
    made,
    measures,
    assignees: pathAssignees(db, team),
    forWeek: commitmentWeek(week, ctx.calendar),
  };
}
export type SessionFacts = ReturnType<typeof sessionFacts>;

/** The slots of one person's commitments made in this session: the saved ones first, in the order they were made. */
export const madeSlots = (facts: SessionFacts, personId: number) =>
  facts.made.filter((c) => c.personId === personId).slice(0, COMMITMENT_SLOTS);

/** The form's values as saved (or, for a session not yet held, everyone present and nothing typed). */
export function initialValues(db: Db, facts: SessionFacts): Record<string, string> {
  const values: Record<string, string> = {
    worked: facts.session?.worked ?? '',
    didNotWork: facts.session?.didNotWork ?? '',
  };
  const attendance = facts.session
    ? new Map(attendanceOf(db, facts.session.id).map((a) => [a.personId, a.present]))
    : null;
  for (const p of facts.roster)
    values[`present_${p.personId}`] = attendance === null || attendance.get(p.personId) ? '1' : '';
  for (const c of facts.toAccount) {
    values[`outcome_${c.id}`] = c.outcome ?? '';
    values[`why_${c.id}`] = c.outcomeNote ?? '';
  }
  for (const p of facts.roster) {
    madeSlots(facts, p.personId).forEach((c, i) => {
      values[`commit_${p.personId}_${i + 1}_text`] = c.text;
      values[`commit_${p.personId}_${i + 1}_measure`] = c.leadMeasureId === null ? '' : String(c.leadMeasureId);
    });
  }
  return values;
}

/** Everything the session page draws, from the facts and the form's values (saved, or as posted and refused). */
export function sessionPage(
  ctx: SessionContext,
  facts: SessionFacts,
  values: Record<string, string>,
  errors: FieldErrors,
) {
  const { team, week, today, calendar, principal } = ctx;
  const date = sessionDate(team, week, calendar);
  const state = sessionState(team, week, calendar, facts.session !== null, today);
  const lastTexts = (personId: number) => facts.toAccount.filter((c) => c.personId === personId).map((c) => c.text);
  const people = facts.roster.map((p) => ({
    ...p,
    toAccount: facts.toAccount.filter((c) => c.personId === p.personId),
    slots: Array.from({ length: COMMITMENT_SLOTS }, (_, i) => {
      const name = `commit_${p.personId}_${i + 1}`;
      return {
        text: `${name}_text`,
        measure: `${name}_measure`,
        number: i + 1,
        warnings: commitmentWarnings(values[`${name}_text`] ?? '', lastTexts(p.personId)),
      };
    }),
    made: facts.made.filter((c) => c.personId === p.personId),
  }));
  const boards = teamBoards(ctx.db, team, today, calendar).boards;
  const current = weekStart(today);
  return {
    // The words and shapes of statuses and verdicts first: the session's own fields (its week label) win.
    ...scoreboardHelpers,
    team,
    school: ctx.school,
    week,
    weekLabel: weekLabel(week),
    date,
    state,
    stateWords: sessionStateWords,
    session: facts.session,
    // A week with no school days has no session to run (its page says so rather than offering a form).
    canRun: rules.runTeamSession.allows(principal, { team }) && isSchoolWeek(week, calendar),
    schoolWeek: isSchoolWeek(week, calendar),
    people,
    present: facts.session
      ? new Map(attendanceOf(ctx.db, facts.session.id).map((a) => [a.personId, a.present]))
      : new Map<number, boolean>(),
    measures: facts.measures,
    measureOptions: [
      { value: '', label: 'Choose a lead measure' },
      ...facts.measures.map((m) => ({ value: String(m.id), label: m.name })),
    ],
    assigneeOptions: [
      { value: '', label: 'Choose a leader' },
      ...facts.assignees.map((a) => ({
        value: String(a.personId),
        label: a.title ? `${a.name} (${a.title})` : a.name,
      })),
    ],
    pathSlots: Array.from({ length: PATH_REQUEST_SLOTS }, (_, i) => ({
      number: i + 1,
      text: `path_${i + 1}_text`,
      assignee: `path_${i + 1}_assignee`,
    })),
    raised: facts.session ? pathRequestsRaisedIn(ctx.db, facts.session.id) : [],
    forWeek: facts.forWeek,
    boards,
    values,
    errors,
    outcomes: commitmentOutcomes,
    outcomeWords,
    withUnit,
    formatDay,
    previousWeek: addDays(week, -7),
    nextWeek: week < current ? addDays(week, 7) : null,
    isCurrentWeek: week === current,
    limits: { commitment: COMMITMENT_MAX, note: NOTE_MAX, review: REVIEW_MAX },
  };
}

/** The team page's session lines: this week's session, the last one held, and what the team has committed to now. */
export function teamSessionSummary(
  db: Db,
  team: Team,
  principal: Principal,
  today: IsoDate,
  calendar = schoolCalendar(db, team.schoolId),
) {
  const week = weekStart(today);
  const held = heldWigSessions(db, [team.id]);
  const thisWeek = held.find((s) => s.week === week) ?? null;
  const lastHeld = held.find((s) => s.week <= week) ?? null;
  // The last week a session was due before this one, to say whether it was missed.
  let previousDue: IsoDate | null = null;
  for (let i = 1; i <= 10 && previousDue === null; i++) {
    const w = addDays(week, -7 * i);
    if (sessionDate(team, w, calendar) !== null) previousDue = w;
  }
  const previousHeld = previousDue !== null && held.some((s) => s.week === previousDue);
  return {
    week,
    date: sessionDate(team, week, calendar),
    state: sessionState(team, week, calendar, thisWeek !== null, today),
    stateWords: sessionStateWords,
    lastHeld: lastHeld ? { week: lastHeld.week, heldAt: lastHeld.heldAt } : null,
    previous:
      previousDue === null
        ? null
        : {
            week: previousDue,
            date: sessionDate(team, previousDue, calendar),
            missed: !previousHeld && sessionState(team, previousDue, calendar, false, today) === 'missed',
          },
    canRun: rules.runTeamSession.allows(principal, { team }),
    commitments: teamCurrentCommitments(db, team.id, week),
    pathRequests: openTeamPathRequests(db, team.id),
    formatDay,
  };
}
