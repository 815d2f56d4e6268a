// The weekly update: one grid per team and week (lead measures across, people down), each cell saved on its own, by htmx or a plain form.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../db/connection.ts';
import { schoolCalendar, schoolCalendars } from '../db/queries/calendar.ts';
import { dayEntries, listLeadMeasures, saveDayEntry, saveEntry, targetsOf, weekEntries } from '../db/queries/measures.ts';
import { teamRoster } from '../db/queries/people.ts';
import { findSchool, listTeamsByIds, type Team } from '../db/queries/schools.ts';
import { activeTeamMeasures } from '../db/queries/weekly-update.ts';
import { listWigs } from '../db/queries/wigs.ts';
import { belongsToTeam, leadsTeam, rules, teamIds, type Principal } from '../domain/access.ts';
import { addDays, closureOf, isIsoDate, localDate, isoWeekday, isSchoolDay, schoolDaysOfWeek, weekStart, type IsoDate, type SchoolCalendar } from '../domain/calendar.ts';
import { formatDay } from '../domain/dates.ts';
import { targetForWeek } from '../domain/lead-measures.ts';
import { cellsToFill, dayRefusal, holidayName, parseEntryValue, parseKept, weekLabel, weekRefusal, type EntryRules } from '../domain/weekly-update.ts';
import { formatNumber, wigSentence, withUnit } from '../domain/wig.ts';
import { HttpProblem } from '../plugins/auth.ts';
import { redirectTo } from './auth.ts';
import { formBody, teamParams } from './schemas.ts';

const weekQuery = Type.Object({ week: Type.Optional(Type.String({ pattern: '^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$' })) });
const entryBody = formBody('measureId', 'week', 'personId', 'value', 'date', 'kept');
const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] as const;

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

export interface DayCell {
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
interface Override {
  measureId: number;
  personId: number | null;
  date: string | null;
  value: string;
  kept: boolean | null;
  error: string;
}

const cellKey = (measureId: number, personId: number | null) => `${measureId}-${personId ?? 'team'}`;

export interface WeekContext {
  team: Team;
  week: IsoDate;
  today: IsoDate;
  calendar: SchoolCalendar;
  principal: Principal;
}

/** Who the viewer is in this team, and the rules their entries follow. */
function viewerOf(ctx: WeekContext) {
  const member = belongsToTeam(ctx.principal, ctx.team.id);
  const leader = leadsTeam(ctx.principal, ctx.team.id);
  const rules: EntryRules = { today: ctx.today, calendar: ctx.calendar, leader };
  return { member, leader, rules, personId: ctx.principal.personId };
}

/** May the viewer change this person's (or the team's, null) cells at all — before the week is considered. */
const ownsCell = (viewer: ReturnType<typeof viewerOf>, personId: number | null) => viewer.member && (viewer.leader || personId === null || personId === viewer.personId);

function numberCell(ctx: WeekContext, m: Measure, person: RosterPerson | null, saved: number | undefined, override: Override | null): NumberCell {
  const viewer = viewerOf(ctx);
  const personId = person?.personId ?? null;
  const key = cellKey(m.id, personId);
  const mine = override && override.date === null && cellKey(override.measureId, override.personId) === key ? override : null;
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
    editable: mine !== null || (ownsCell(viewer, personId) && weekRefusal(ctx.week, viewer.rules) === null),
    status: null,
    error: mine?.error ?? null,
  };
}

function dailyCell(ctx: WeekContext, m: Measure, person: RosterPerson | null, kept: Map<string, boolean>, override: Override | null): DailyCell {
  const viewer = viewerOf(ctx);
  const personId = person?.personId ?? null;
  const key = cellKey(m.id, personId);
  const who = person ? person.name : `${ctx.team.name} (team)`;
  const days = DAY_NAMES.map((dayName, i): DayCell => {
    const date = addDays(ctx.week, i);
    const mine = override && override.date === date && cellKey(override.measureId, override.personId) === key ? override : null;
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
      editable: mine !== null || (state === 'open' && ownsCell(viewer, personId) && dayRefusal(date, viewer.rules) === null),
      status: null,
      error: mine?.error ?? null,
    };
  });
  return { kind: 'daily', id: `cell-${key}`, label: `${who}, ${m.name}`, days };
}

/** Everything the week page draws: WIG groups of measures across, people (and the team) down. */
export function weekPage(db: Db, ctx: WeekContext, override: Override | null = null) {
  const { team, week, calendar } = ctx;
  const viewer = viewerOf(ctx);
  const schoolDays = schoolDaysOfWeek(week, calendar);
  const holiday = schoolDays.length === 0 ? holidayName(week, calendar) : null;
  const wigs = listWigs(db, { level: 'team', schoolId: team.schoolId, teamId: team.id }, ['active']);
  const measures = listLeadMeasures(db, wigs.map((w) => w.id));
  const targets = targetsOf(db, measures.map((m) => m.id));
  const roster = teamRoster(db, team.id).filter((p) => p.disabledAt === null);
  const groups = wigs
    .map((w) => ({
      wig: { id: w.id, lagName: w.lagName, sentence: wigSentence(w) },
      measures: measures
        .filter((m) => m.wigId === w.id)
        .map((m) => {
          const target = targetForWeek(targets.get(m.id) ?? [], week);
          const targetText =
            target === null ? 'No target set' : m.kind === 'daily' ? `Target: kept on ${formatNumber(target)}% of school days` : `Target: ${withUnit(target, m.unit)}${m.perPerson ? ' each' : ' as a team'}`;
          // The target line names the unit; the unit stands alone only while there is no target.
          return { ...m, target, targetText, unitText: m.kind === 'daily' ? 'yes or no, each school day' : target === null ? m.unit : '' };
        }),
    }))
    .filter((g) => g.measures.length > 0);
  const columns = groups.flatMap((g) => g.measures);

  const saved = new Map(weekEntries(db, columns.map((m) => m.id), week, week).map((e) => [cellKey(e.leadMeasureId, e.personId), e.value]));
  const kept = new Map(dayEntries(db, columns.map((m) => m.id), week, addDays(week, 4)).map((e) => [`${cellKey(e.leadMeasureId, e.personId)}-${e.date}`, e.kept]));
  const cellFor = (m: (typeof columns)[number], person: RosterPerson | null): Cell =>
    m.kind === 'daily' ? dailyCell(ctx, m, person, kept, override) : numberCell(ctx, m, person, saved.get(cellKey(m.id, person?.personId ?? null)), override);

  const rows: { key: string; name: string; you: boolean; cells: (Cell | null)[] }[] = [];
  if (!holiday) {
    if (columns.some((m) => !m.perPerson)) rows.push({ key: 'team', name: `${team.name} (team)`, you: false, cells: columns.map((m) => (m.perPerson ? null : cellFor(m, null))) });
    if (columns.some((m) => m.perPerson)) {
      for (const person of roster) {
        rows.push({ key: String(person.personId), name: person.name, you: person.personId === viewer.personId, cells: columns.map((m) => (m.perPerson ? cellFor(m, person) : null)) });
      }
    }
  }
  const closedDays = holiday
    ? []
    : [0, 1, 2, 3, 4].map((i) => addDays(week, i)).filter((d) => !isSchoolDay(d, calendar)).map((d) => ({ date: d, reason: closureOf(d, calendar) }));
  const current = weekStart(ctx.today);
  const editable = rows.some((r) => r.cells.some((c) => c && (c.kind === 'number' ? c.editable : c.days.some((d) => d.editable))));
  let notice: string | null = null;
  if (!holiday && columns.length > 0) {
    if (!viewer.member) notice = `You are reading ${team.name}'s numbers. The team's own people enter them.`;
    else if (!editable) notice = weekRefusal(week, viewer.rules);
  }
  return {
    team,
    school: team.schoolId === null ? null : findSchool(db, team.schoolId),
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

const idOf = (value: string | undefined) => (value !== undefined && /^[1-9]\d{0,9}$/.test(value.trim()) ? Number(value.trim()) : null);

/** "My week" on the home page: for each of a person's teams, the cells still to fill this week, each linked to its place in the grid. */
export function myWeek(db: Db, principal: Principal, today: IsoDate, teams = listTeamsByIds(db, teamIds(principal))) {
  const week = weekStart(today);
  if (teams.length === 0) return null;
  const calendars = schoolCalendars(db, [...new Set(teams.map((t) => t.schoolId))]);
  const measures = activeTeamMeasures(db, teams.map((t) => t.id));
  const ids = measures.map((m) => m.id);
  const entries = weekEntries(db, ids, week, week);
  const days = dayEntries(db, ids, week, addDays(week, 4));
  const result = teams.map((team) => {
    const calendar = calendars.get(team.schoolId)!;
    const schoolDays = schoolDaysOfWeek(week, calendar);
    const href = `/teams/${team.id}/week`;
    if (schoolDays.length === 0) return { team, href, holiday: holidayName(week, calendar), todo: [] };
    const own = measures.filter((m) => m.teamId === team.id);
    const todo = cellsToFill({ personId: principal.personId, measures: own, entries, days, daysSoFar: schoolDays.filter((d) => d <= today) }).map((cell) => {
      const m = own.find((x) => x.id === cell.measureId)!;
      const what = cell.personId === null ? `${m.name} (team)` : m.name;
      const detail = m.kind === 'daily' ? `not yet kept on ${cell.days.map((d) => DAY_NAMES[isoWeekday(d) - 1]).join(', ')}` : 'no number yet';
      return { what, detail, href: `${href}#cell-${cellKey(cell.measureId, cell.personId)}` };
    });
    return { team, href, holiday: null, todo };
  });
  return { weekLabel: weekLabel(week), teams: result };
}

export default async function weekRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // The app's clock (pinned in tests), in the trust's time zone.
  const today = () => localDate(app.now(), app.trust().timeZone);
  const contextFor = (request: FastifyRequest, week: IsoDate): WeekContext => ({
    team: request.team!,
    week,
    today: today(),
    calendar: schoolCalendar(app.db, request.team!.schoolId),
    principal: request.principal!,
  });

  const renderWeek = (request: FastifyRequest, reply: FastifyReply, week: IsoDate, status: number, override: Override | null, errors: { href: string | null; message: string }[] = []) => {
    const page = weekPage(app.db, contextFor(request, week), override);
    return reply.render({ page: 'pages/team-week', status, title: `${page.weekLabel} · ${page.team.name}`, data: { ...page, errors } });
  };

  app.get('/teams/:teamId/week', { config: { access: rules.readTeam }, schema: { params: teamParams, querystring: weekQuery } }, async (request, reply) => {
    const week = request.query.week ?? weekStart(today());
    if (!isIsoDate(week)) throw new HttpProblem(404, 'There is no such week.');
    // Any day of a week finds its week: the page lives at its Monday.
    if (isoWeekday(week) !== 1) return reply.redirect(`/teams/${request.team!.id}/week?week=${weekStart(week)}`, 303);
    return renderWeek(request, reply, week, 200, null);
  });

  app.post(
    '/teams/:teamId/entries',
    { config: { access: rules.enterTeamNumbers }, schema: { params: teamParams, body: entryBody } },
    async (request, reply) => {
      const team = request.team!;
      const principal = request.principal!;
      const body = request.body;
      const measureId = idOf(body.measureId);
      const measure = measureId === null ? undefined : activeTeamMeasures(app.db, [team.id]).find((m) => m.id === measureId);
      if (!measure) throw new HttpProblem(404, 'There is no such lead measure in this team.');
      const personText = (body.personId ?? '').trim();
      const personId = personText === '' ? null : idOf(personText);
      const person = personId === null ? null : teamRoster(app.db, team.id).find((p) => p.personId === personId && p.disabledAt === null);
      if (personText !== '' && !person) throw new HttpProblem(404, 'There is no such person in this team.');
      if (measure.perPerson !== (personId !== null)) throw new HttpProblem(404, 'There is no such cell in this grid.');

      const ctxToday = today();
      const calendar = schoolCalendar(app.db, team.schoolId);
      const leader = leadsTeam(principal, team.id);
      const entryRules: EntryRules = { today: ctxToday, calendar, leader };
      const notYours = !leader && personId !== null && personId !== principal.personId ? 'You can only enter your own numbers. Ask your team leader to correct this one.' : null;
      const weekText = (body.week ?? '').trim();
      const who = person ? person.name : `${team.name} (team)`;

      const refuse = async (week: IsoDate | null, override: Override) => {
        const pageWeek = week ?? weekStart(ctxToday);
        if (reply.isFragmentRequest()) {
          const ctx = contextFor(request, pageWeek);
          const cell = measure.kind === 'daily' ? null : numberCell(ctx, measure, person ?? null, undefined, override);
          const day =
            measure.kind === 'daily' && override.date
              ? dailyCell(ctx, measure, person ?? null, new Map(), override).days.find((d) => d.date === override.date) ?? null
              : null;
          // The refused cell comes back as the form it was (the week as posted), with what was typed and the message.
          const shown = cell ? { ...cell, week: weekText } : day;
          if (shown) return reply.render({ page: 'pages/team-week', partial: measure.kind === 'daily' ? 'partials/day-cell' : 'partials/cell', status: 422, title: 'Not saved', data: { cell: shown } });
          return reply.render({
            page: 'pages/error',
            partial: 'partials/error-message',
            status: 422,
            title: 'Not saved',
            data: { status: 422, heading: 'Not saved', message: override.error, requestId: null },
          });
        }
        const idPrefix = measure.kind === 'daily' && override.date ? `d${measure.id}_${personId ?? 'team'}_${override.date.replace(/-/g, '')}-kept` : `c${measure.id}_${personId ?? 'team'}-value`;
        return renderWeek(request, reply, pageWeek, 422, override, [{ href: `#${idPrefix}`, message: `${who}, ${measure.name}: ${override.error}` }]);
      };

      if (measure.kind === 'number') {
        const typed = body.value ?? '';
        const base = { measureId: measure.id, personId, date: null, value: typed, kept: null };
        const validWeek = isIsoDate(weekText) && isoWeekday(weekText) === 1 ? weekText : null;
        const problem = notYours ?? (validWeek ? weekRefusal(validWeek, entryRules) : 'Choose a week that starts on a Monday.');
        const parsed = parseEntryValue(typed);
        const error = problem ?? (parsed.ok ? null : parsed.error);
        if (error || !parsed.ok || !validWeek) return refuse(validWeek, { ...base, error: error ?? 'Not saved' });
        const result = saveEntry(app.db, principal.personId, measure.id, validWeek, personId, parsed.value, app.now());
        const statusWord = result === 'cleared' ? 'Cleared' : 'Saved';
        if (reply.isFragmentRequest()) {
          const cell = numberCell(contextFor(request, validWeek), measure, person ?? null, parsed.value ?? undefined, null);
          return reply.render({ page: 'pages/team-week', partial: 'partials/cell', title: statusWord, data: { cell: { ...cell, status: statusWord } } });
        }
        request.session.flash = { kind: 'success', message: `${statusWord}: ${who}, ${measure.name}, week of ${formatDay(validWeek)}.` };
        return redirectTo(request, reply, `/teams/${team.id}/week?week=${validWeek}#cell-${cellKey(measure.id, personId)}`);
      }

      // A daily standard: one school day at a time.
      const dateText = (body.date ?? '').trim();
      const parsedKept = parseKept(body.kept);
      const date = isIsoDate(dateText) ? dateText : null;
      const base = { measureId: measure.id, personId, date, value: '', kept: parsedKept.ok ? parsedKept.value : null };
      let problem = notYours;
      if (!problem && !date) problem = 'Choose a real school day.';
      if (!problem && weekText !== '' && weekText !== weekStart(date!)) problem = `${formatDay(date!)} is not in this week.`;
      if (!problem) problem = dayRefusal(date!, entryRules);
      if (!problem && !parsedKept.ok) problem = parsedKept.error;
      if (problem || !date || !parsedKept.ok) return refuse(date ? weekStart(date) : null, { ...base, error: problem ?? 'Not saved' });
      const result = saveDayEntry(app.db, principal.personId, measure.id, date, personId, parsedKept.value, app.now());
      const statusWord = result === 'cleared' ? 'Cleared' : 'Saved';
      if (reply.isFragmentRequest()) {
        const kept = new Map(parsedKept.value === null ? [] : [[`${cellKey(measure.id, personId)}-${date}`, parsedKept.value]]);
        const day = dailyCell(contextFor(request, weekStart(date)), measure, person ?? null, kept, null).days.find((d) => d.date === date)!;
        return reply.render({ page: 'pages/team-week', partial: 'partials/day-cell', title: statusWord, data: { cell: { ...day, status: statusWord } } });
      }
      request.session.flash = { kind: 'success', message: `${statusWord}: ${who}, ${measure.name}, ${formatDay(date)}.` };
      return redirectTo(request, reply, `/teams/${team.id}/week?week=${weekStart(date)}#cell-${cellKey(measure.id, personId)}`);
    },
  );
}
