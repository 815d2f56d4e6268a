// The players' scoreboard of a team: for each active WIG, a banner in words, the lag measure against its pace line,
// and each lead measure against its target this week and over recent school weeks.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/connection.ts';
import type { Team } from '../db/queries/schools.ts';
import { schoolCalendar } from '../db/queries/calendar.ts';
import { dayEntries, listLeadMeasures, targetsOf, weekEntries } from '../db/queries/measures.ts';
import { teamRoster } from '../db/queries/people.ts';
import { findSchool, findTeam } from '../db/queries/schools.ts';
import { listReadings, listWigs, type Wig } from '../db/queries/wigs.ts';
import { rules } from '../domain/access.ts';
import { addDays, localDate, schoolDaysOfWeek, schoolWeeks, weekStart, type IsoDate, type SchoolCalendar } from '../domain/calendar.ts';
import { formatDay } from '../domain/dates.ts';
import { targetForWeek } from '../domain/lead-measures.ts';
import { banner, chartScale, lastWeeks, polyline, teamWeekValue } from '../domain/scoreboard.ts';
import { lagGap, lagStatus, leadTrend, leadWeekStatus, paceShare, statusShapes, statusWords, TREND_WEEKS, LAG_AT_RISK, LAG_OFF_TRACK, LEAD_AT_RISK_SHARE, type Status } from '../domain/status.ts';
import { formatNumber, shortDate, wigSentence, withUnit } from '../domain/wig.ts';
import { teamParams } from './schemas.ts';

/** How many school weeks of lead measure bars the board shows (this week included). */
const BAR_WEEKS = 6;

function shareAt(calendar: SchoolCalendar, plan: { schoolWeeks: IsoDate[]; schoolDaysPerWeek: number[] }, date: IsoDate, baseline: number, target: number) {
  const elapsed = schoolDaysOfWeek(weekStart(date), calendar).filter((d) => d <= date).length;
  return paceShare({ ...plan, baseline, target }, date, elapsed);
}

/** The lag side of one WIG: pace, latest reading, status and the chart's geometry. */
function lagBoard(wig: Wig, readings: { date: string; value: number; note: string | null }[], calendar: SchoolCalendar, today: IsoDate) {
  const { baseline, target, startDate, deadline } = wig;
  if (baseline === null || target === null || !startDate || !deadline) return null;
  const weeks = schoolWeeks({ start: startDate, end: deadline }, calendar);
  const plan = { schoolWeeks: weeks, schoolDaysPerWeek: weeks.map((w) => schoolDaysOfWeek(w, calendar).length) };
  const share = (date: IsoDate) => shareAt(calendar, plan, date, baseline, target);
  const points = readings.map((r) => ({ ...r, share: share(r.date), expected: baseline + (target - baseline) * share(r.date) }));
  const latest = points.at(-1) ?? null;
  const gap = latest ? lagGap({ baseline, target }, latest.share, latest.value) : null;
  const status: Status = today < startDate ? 'not_started' : lagStatus(gap);
  const scale = chartScale([baseline, target, ...points.map((p) => p.value)]);
  return {
    status,
    ahead: gap !== null && gap > 0,
    latest,
    expectedToday: baseline + (target - baseline) * share(today),
    chart: {
      scale,
      pace: polyline([
        { x: scale.x(0), y: scale.y(baseline) },
        { x: scale.x(1), y: scale.y(target) },
      ]),
      targetY: scale.y(target),
      baselineY: scale.y(baseline),
      readings: points.map((p) => ({ ...p, x: scale.x(p.share), y: scale.y(p.value) })),
      line: polyline(points.map((p) => ({ x: scale.x(p.share), y: scale.y(p.value) }))),
      todayX: scale.x(share(today)),
      startLabel: shortDate(startDate),
      deadlineLabel: shortDate(deadline),
    },
    points,
  };
}

/** Everything a team's scoreboard shows, for each of its active WIGs: reused wherever a team's status is summed up. */
export function teamBoards(db: Db, team: Team, today: IsoDate, calendar: SchoolCalendar = schoolCalendar(db, team.schoolId)) {
  const thisWeek = weekStart(today);
  const wigs = listWigs(db, { level: 'team', schoolId: team.schoolId, teamId: team.id }, ['active']);
  const measures = listLeadMeasures(db, wigs.map((w) => w.id));
  const ids = measures.map((m) => m.id);
  const targets = targetsOf(db, ids);
  const people = teamRoster(db, team.id).filter((p) => p.disabledAt === null).length;

  // Only the recent school weeks are read: the work does not grow with the length of history.
  const recent = schoolWeeks({ start: addDays(thisWeek, -7 * 15), end: addDays(thisWeek, 4) }, calendar);
  const barWeeks = lastWeeks(recent, BAR_WEEKS);
  const trendWeeks = lastWeeks(recent.filter((w) => w < thisWeek), TREND_WEEKS);
  const from = [...barWeeks, ...trendWeeks].sort()[0] ?? thisWeek;
  const entries = weekEntries(db, ids, from, thisWeek);
  const days = dayEntries(db, ids, from, addDays(thisWeek, 4));

  const boards = wigs.map((wig) => {
    const lag = lagBoard(wig, listReadings(db, wig.id), calendar, today);
    const leads = measures
      .filter((m) => m.wigId === wig.id)
      .map((m) => {
        const periods = targets.get(m.id) ?? [];
        const weekFigure = (week: IsoDate) => {
          const schoolDays = schoolDaysOfWeek(week, calendar).filter((d) => d <= today);
          const marked = days.filter((d) => d.leadMeasureId === m.id && d.date >= week && d.date <= addDays(week, 4));
          // A daily standard with nothing marked that week has no figure yet (not 0 %).
          const value =
            m.kind === 'daily' && marked.length === 0
              ? null
              : teamWeekValue({
                  kind: m.kind,
                  perPerson: m.perPerson,
                  values: entries.filter((e) => e.leadMeasureId === m.id && e.week === week).map((e) => e.value),
                  keptDays: marked.filter((d) => d.kept).length,
                  schoolDays: schoolDays.length,
                  people,
                });
          const target = targetForWeek(periods, week);
          return { week, value, target, status: leadWeekStatus(value, target, m.direction) };
        };
        const bars = barWeeks.map(weekFigure);
        const recentFigures = trendWeeks.map(weekFigure);
        // Weeks with nothing entered count as not met: an empty week is not a winning one.
        const trend = { met: recentFigures.filter((f) => f.status === 'on_track').length, of: recentFigures.length, share: leadTrend(recentFigures, m.direction) };
        const lastWeek = trendWeeks.length ? weekFigure(trendWeeks.at(-1)!) : null;
        const current = bars.find((b) => b.week === thisWeek) ?? null;
        const max = Math.max(1, ...bars.map((b) => Math.max(b.value ?? 0, b.target ?? 0))) * 1.15;
        const unit = m.kind === 'daily' ? '%' : m.unit;
        return {
          measure: m,
          unit,
          perPersonWord: m.kind === 'number' && m.perPerson ? ' each (average)' : '',
          current,
          lastWeek,
          status: lastWeek?.status ?? 'no_data',
          trend,
          bars: bars.map((b, i) => ({
            ...b,
            label: shortDate(b.week).replace(/ \d{4}$/, ''),
            x: 56 + i * 92,
            height: b.value === null ? 0 : Math.round((b.value / max) * 160),
            targetY: b.target === null ? null : 180 - Math.round((b.target / max) * 160),
          })),
        };
      });
    const board = banner(lag?.status ?? 'no_data', lag?.ahead ?? false, leads.map((l) => l.status));
    return { wig, sentence: wigSentence(wig), lag, leads, banner: board };
  });

  return { thisWeek, boards };
}

export default async function scoreboardRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  // The boards are the same for every viewer: rendered once per change of the data (and per day), then shared.
  app.boardRenderer('scoreboard', async (id) => {
    const team = id === null ? null : findTeam(app.db, id);
    if (!team) return [];
    const { thisWeek, boards } = teamBoards(app.db, team, localDate(app.now(), app.trust().timeZone));
    return [
      await app.view('partials/team-scoreboard-boards', {
        team,
        boards,
        thisWeek,
        statusWords,
        statusShapes,
        withUnit,
        formatNumber,
        formatDay,
        shortDate,
        thresholds: { lagAtRisk: LAG_AT_RISK * 100, lagOffTrack: LAG_OFF_TRACK * 100, leadAtRisk: LEAD_AT_RISK_SHARE * 100, trendWeeks: TREND_WEEKS },
      }),
    ];
  });

  app.get('/teams/:teamId/scoreboard', { config: { access: rules.readTeam }, schema: { params: teamParams } }, async (request, reply) => {
    const team = request.team!;
    const [boardsHtml] = await app.boards.pages(`scoreboard:${team.id}`);
    return reply.render({
      page: 'pages/team-scoreboard',
      title: `Scoreboard · ${team.name}`,
      data: { team, school: team.schoolId === null ? null : findSchool(app.db, team.schoolId), boardsHtml },
    });
  });
}
