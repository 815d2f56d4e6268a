// What the weekly update grid shows: one team's week, lead measures across and people (and the team) down, every cell
// with what it holds and whether this viewer may change it, as plain data for the cell partials.
import type { Db } from '../db/connection.ts';
import { dayEntries, listLeadMeasures, targetsOf, weekEntries } from '../db/queries/measures.ts';
import { teamRoster } from '../db/queries/people.ts';
import type { School, Team } from '../db/queries/schools.ts';
import { listWigs } from '../db/queries/wigs.ts';
import { belongsToTeam, cellsChangedBy, leadsTeam, type Principal } from '../domain/access.ts';
import {
  addDays,
  closureOf,
  isSchoolDay,
  schoolDaysOfWeek,
  weekStart,
  type IsoDate,
  type SchoolCalendar,
} from '../domain/calendar.ts';
import { formatDay } from '../domain/dates.ts';
import { targetForWeek } from '../domain/lead-measures.ts';
import { dayRefusal, holidayName, weekLabel, weekRefusal, type EntryRules } from '../domain/weekly-update.ts';
import { formatNumber, wigSentence, withUnit } from '../domain/wig.ts';

/** The school week's days as the grid heads them. */
export const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] as const;

/** What a cell needs to know of its measure. */
type Measure = { id: number; name: string };
type RosterPerson = ReturnType<typeof teamRoster>[number];

/** One number cell of the grid, as the cell partial draws it. */
export interface NumberCell {
  kind: 'number';
  /** The partial's root id, and the anchor "My week" links to. */
  id: string;
  /** Prefix of the input's id ("c12_34" → "c12_34-value", its error "c12_34-value-error"). */
  idPrefix: string;
  action: string;
  measureId: number;
  /** '' for the team's cell. */
  personId: string;
  week: string;
  /** What the input shows: the saved number, or what was typed when it was refused. */
  value: string;
  label: string;
  /** Column key for moving down with Enter (same measure, next person). */
  column: string;
  editable: boolean;
  status: string | null;
  error: string | null;
}

interface DayCell {
  id: string;
  idPrefix: string;
  action: string;
  measureId: number;
  personId: string;
  week: string;
  date: string;
  dayName: string;
  label: string;
  column: string;
  /** open: can be ticked now; closed: not a school day; later: has not happened yet. */
  state: 'open' | 'closed' | 'later';
  closedReason: string | null;
  kept: boolean | null;
  editable: boolean;
  status: string | null;
  error: string | null;
}

export interface DailyCell {
  kind: 'daily';
  id: string;
  label: string;
  days: DayCell[];
}

type Cell = NumberCell | DailyCell;

/** What was posted and refused, to draw again in place with its message. */
export interface Override {
  measureId: number;
  personId: number | null;
  date: string | null;
  value: string;
  kept: boolean | null;
  error: string;
}

/** A cell's key in the grid (and its anchor, `#cell-…`): the measure and the person, or the team. */
export const cellKey = (measureId: number, personId: number | null) => `${measureId}-${personId ?? 'team'}`;

export interface WeekContext {
  team: Team;
  /** The team's school (null for a trust team). */
  school: School | null;
  week: IsoDate;
  today: IsoDate;
  calendar: SchoolCalendar;
  principal: Principal;
}

/** Who the viewer is in this team, and the rules their entries follow: worked out once per grid, not per cell. */
const viewers = new WeakMap<WeekContext, ReturnType<typeof readViewer>>();
function readViewer(ctx: WeekContext) {
  const member = belongsToTeam(ctx.principal, ctx.team.id);
  const leader = leadsTeam(ctx.principal, ctx.team.id);
  const rules: EntryRules = { today: ctx.today, calendar: ctx.calendar, leader };
  // May the viewer change this person's (or the team's, null) cells at all — before the week is considered.
  return { member, leader, rules, personId: ctx.principal.personId, ownsCell: cellsChangedBy(ctx.principal, ctx.team) };
}
function viewerOf(ctx: WeekContext) {
  let viewer = viewers.get(ctx);
  if (!viewer) viewers.set(ctx, (viewer = readViewer(ctx)));
  return viewer;
}

export function numberCell(
  ctx: WeekContext,
  m: Measure,
  person: RosterPerson | null,
  saved: number | undefined,
  override: Override | null,
): NumberCell {
  const viewer = viewerOf(ctx);
  const personId = person?.personId ?? null;
  const key = cellKey(m.id, personId);
  const mine =
    override && override.date === null && cellKey(override.measureId, override.personId) === key ? override : null;
  return {
    kind: 'number',
    id: `cell-${key}`,
    idPrefix: `c${m.id}_${personId ?? 'team'}`,
    action: `/teams/${ctx.team.id}/entries`,
    measureId: m.id,
    personId: personId === null ? '' : String(personId),
    week: ctx.week,
    value: mine ? mine.value : saved === undefined ? '' : String(saved),
    label: `${person ? person.name : `${ctx.team.name} (team)`}, ${m.name}, week of ${formatDay(ctx.week)}`,
    column: `m${m.id}`,
    // A refused cell is drawn as a form again, whatever the refusal, so the person sees what they typed and why.
    editable: mine !== null || (viewer.ownsCell(personId) && weekRefusal(ctx.week, viewer.rules) === null),
    status: null,
    error: mine?.error ?? null,
  };
}

export function dailyCell(
  ctx: WeekContext,
  m: Measure,
  person: RosterPerson | null,
  kept: Map<string, boolean>,
  override: Override | null,
): DailyCell {
  const viewer = viewerOf(ctx);
  const personId = person?.personId ?? null;
  const key = cellKey(m.id, personId);
  const who = person ? person.name : `${ctx.team.name} (team)`;
  const days = DAY_NAMES.map((dayName, i): DayCell => {
    const date = addDays(ctx.week, i);
    const mine =
      override && override.date === date && cellKey(override.measureId, override.personId) === key ? override : null;
    const state = !isSchoolDay(date, ctx.calendar) ? 'closed' : date > ctx.today ? 'later' : 'open';
    return {
      id: `day-${key}-${date}`,
      idPrefix: `d${m.id}_${personId ?? 'team'}_${date.replace(/-/g, '')}`,
      action: `/teams/${ctx.team.id}/entries`,
      measureId: m.id,
      personId: personId === null ? '' : String(personId),
      week: ctx.week,
      date,
      dayName,
      label: `${who}, ${m.name}, kept on ${formatDay(date)}`,
      column: `m${m.id}-${i}`,
      state: mine ? 'open' : state,
      closedReason: state === 'closed' ? closureOf(date, ctx.calendar) : null,
      kept: mine ? mine.kept : (kept.get(`${key}-${date}`) ?? null),
      editable:
        mine !== null || (state === 'open' && viewer.ownsCell(personId) && dayRefusal(date, viewer.rules) === null),
      status: null,
      error: mine?.error ?? null,
    };
  });
  return { kind: 'daily', id: `cell-${key}`, label: `${who}, ${m.name}`, days };
}

/** Everything the week page draws: WIG groups of measures across, people (and the team) down. */
export function weekGrid(db: Db, ctx: WeekContext, override: Override | null = null) {
  const { team, week, calendar } = ctx;
  const viewer = viewerOf(ctx);
  const schoolDays = schoolDaysOfWeek(week, calendar);
  const holiday = schoolDays.length === 0 ? holidayName(week, calendar) : null;
  const wigs = listWigs(db, { level: 'team', schoolId: team.schoolId, teamId: team.id }, ['active']);
  const measures = listLeadMeasures(
    db,
    wigs.map((w) => w.id),
  );
  const targets = targetsOf(
    db,
    measures.map((m) => m.id),
  );
  const roster = teamRoster(db, team.id).filter((p) => p.disabledAt === null);
  const groups = wigs
    .map((w) => ({
      wig: { id: w.id, lagName: w.lagName, sentence: wigSentence(w) },
      measures: measures
        .filter((m) => m.wigId === w.id)
        .map((m) => {
          const target = targetForWeek(targets.get(m.id) ?? [], week);
          const targetText =
            target === null
              ? 'No target set'
              : m.kind === 'daily'
                ? `Target: kept on ${formatNumber(target)}% of school days`
                : `Target: ${withUnit(target, m.unit)}${m.perPerson ? ' each' : ' as a team'}`;
          // The target line names the unit; the unit stands alone only while there is no target.
          return {
            ...m,
            target,
            targetText,
            unitText: m.kind === 'daily' ? 'yes or no, each school day' : target === null ? m.unit : '',
          };
        }),
    }))
    .filter((g) => g.measures.length > 0);
  const columns = groups.flatMap((g) => g.measures);

  const saved = new Map(
    weekEntries(
      db,
      columns.map((m) => m.id),
      week,
      week,
    ).map((e) => [cellKey(e.leadMeasureId, e.personId), e.value]),
  );
  const kept = new Map(
    dayEntries(
      db,
      columns.map((m) => m.id),
      week,
      addDays(week, 4),
    ).map((e) => [`${cellKey(e.leadMeasureId, e.personId)}-${e.date}`, e.kept]),
  );
  const cellFor = (m: (typeof columns)[number], person: RosterPerson | null): Cell =>
    m.kind === 'daily'
      ? dailyCell(ctx, m, person, kept, override)
      : numberCell(ctx, m, person, saved.get(cellKey(m.id, person?.personId ?? null)), override);

  const rows: { key: string; name: string; you: boolean; cells: (Cell | null)[] }[] = [];
  if (!holiday) {
    if (columns.some((m) => !m.perPerson))
      rows.push({
        key: 'team',
        name: `${team.name} (team)`,
        you: false,
        cells: columns.map((m) => (m.perPerson ? null : cellFor(m, null))),
      });
    if (columns.some((m) => m.perPerson)) {
      for (const person of roster) {
        rows.push({
          key: String(person.personId),
          name: person.name,
          you: person.personId === viewer.personId,
          cells: columns.map((m) => (m.perPerson ? cellFor(m, person) : null)),
        });
      }
    }
  }
  const closedDays = holiday
    ? []
    : [0, 1, 2, 3, 4]
        .map((i) => addDays(week, i))
        .filter((d) => !isSchoolDay(d, calendar))
        .map((d) => ({ date: d, reason: closureOf(d, calendar) }));
  const current = weekStart(ctx.today);
  const editable = rows.some((r) =>
    r.cells.some((c) => c && (c.kind === 'number' ? c.editable : c.days.some((d) => d.editable))),
  );
  let notice: string | null = null;
  if (!holiday && columns.length > 0) {
    if (!viewer.member) notice = `You are reading ${team.name}'s numbers. The team's own people enter them.`;
    else if (!editable) notice = weekRefusal(week, viewer.rules);
  }
  return {
    team,
    school: ctx.school,
    week,
    weekLabel: weekLabel(week),
    isCurrentWeek: week === current,
    previousWeek: addDays(week, -7),
    nextWeek: addDays(week, 7),
    currentWeek: current,
    holiday,
    closedDays,
    groups,
    columns,
    rows,
    editable,
    notice,
    leader: viewer.leader,
    formatDay,
  };
}
