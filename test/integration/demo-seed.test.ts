// The demo trust's WIGs and history: aligned goals, one to three lead measures each, about twelve school weeks, some teams winning.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, gte, inArray, lt } from 'drizzle-orm';
import { hashPassword } from '../../src/auth/password.ts';
import { openDatabase, type OpenedDatabase } from '../../src/db/connection.ts';
import { schoolCalendars } from '../../src/db/queries/calendar.ts';
import { findPersonByEmail } from '../../src/db/queries/people.ts';
import {
  academicYears,
  lagReadings,
  leadDayEntries,
  leadEntries,
  leadMeasures,
  leadTargets,
  roleAssignments,
  wigs,
} from '../../src/db/schema.ts';
import { addDays, dayNumber, isSchoolDay, isSchoolWeek, schoolWeeks, weekStart } from '../../src/domain/calendar.ts';
import { meetsTarget, targetForWeek } from '../../src/domain/lead-measures.ts';
import { MAX_ACTIVE_TEAM_WIGS, parentProblem } from '../../src/domain/wig.ts';
import { seedDemo, type SeedSummary } from '../../scripts/seed-demo.ts';
import { demoYearFor } from '../../scripts/demo-year.ts';
import { tempDir } from '../helpers/app.ts';

const TODAY = '2026-11-24';
const CURRENT_WEEK = weekStart(TODAY);
const DEMO_YEAR = demoYearFor(TODAY);
const dir = tempDir('wigboard-demo-seed-');
let hash: string;
let database: OpenedDatabase;
let summary: SeedSummary;

async function seeded(name: string, today: string) {
  const opened = openDatabase(path.join(dir, `${name}.sqlite`));
  return { database: opened, summary: seedDemo(opened.db, hash, today) };
}

beforeAll(async () => {
  hash = await hashPassword('demo password', { N: 1024, r: 8, p: 1 });
  ({ database, summary } = await seeded('demo', TODAY));
});
afterAll(() => {
  database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const db = () => database.db;
const allWigs = () => db().select().from(wigs).all();
const activeMeasures = () => db().select().from(leadMeasures).where(eq(leadMeasures.status, 'active')).all();

/** Each lead measure's WIG, for finding the team and school an entry belongs to. */
function measureOwners() {
  const byWig = new Map(allWigs().map((w) => [w.id, w]));
  return new Map(
    db()
      .select()
      .from(leadMeasures)
      .all()
      .map((m) => [m.id, { measure: m, wig: byWig.get(m.wigId)! }]),
  );
}

describe('the demo WIGs (Principle 10: aligned goals at all levels)', () => {
  it('seedDemo — the trust, its schools and most teams have active WIGs, with a few drafts and one vetoed', () => {
    const rows = allWigs();
    const active = rows.filter((w) => w.status === 'active');
    expect(
      active.filter((w) => w.level === 'trust').map((w) => [w.lagName, w.baseline, w.target, w.deadline, w.direction]),
    ).toEqual([
      [
        'Pupils at the expected standard in reading, writing and maths combined (KS2)',
        61,
        70,
        '2027-07-16',
        'increase',
      ],
      ['Persistent absence (pupils missing 10% or more of sessions)', 18, 12, '2027-07-16', 'decrease'],
    ]);
    const schoolsWithWigs = new Set(active.filter((w) => w.level === 'school').map((w) => w.schoolId));
    expect(schoolsWithWigs.size).toBe(summary.schools);
    const teamsWithWigs = new Set(active.filter((w) => w.level === 'team').map((w) => w.teamId));
    expect(teamsWithWigs.size).toBeGreaterThan(summary.teams / 2);
    const drafts = rows.filter((w) => w.status === 'draft');
    expect(drafts.length).toBeGreaterThanOrEqual(2);
    const vetoed = drafts.filter((w) => w.vetoReason);
    expect(vetoed).toHaveLength(1);
    expect(vetoed[0]!.vetoedBy).not.toBeNull();
    expect(summary).toMatchObject({ schools: 5, teams: 25 });
    expect(summary.people).toBeGreaterThan(120);
  });

  it('every active WIG has one to three active lead measures, each with a target from the WIG’s first week', () => {
    const measures = activeMeasures();
    const targets = db().select().from(leadTargets).all();
    for (const wig of allWigs().filter((w) => w.status === 'active')) {
      const own = measures.filter((m) => m.wigId === wig.id);
      expect(own.length, wig.lagName).toBeGreaterThanOrEqual(1);
      expect(own.length, wig.lagName).toBeLessThanOrEqual(3);
      for (const m of own)
        expect(targets.filter((t) => t.leadMeasureId === m.id).map((t) => t.fromWeek)[0], m.name).toBe(
          weekStart(wig.startDate!),
        );
    }
    // All three kinds are in use: team numbers, individual numbers and daily standards.
    expect(new Set(measures.map((m) => (m.kind === 'daily' ? 'daily' : m.perPerson ? 'individual' : 'team')))).toEqual(
      new Set(['daily', 'individual', 'team']),
    );
  });

  it('every school and team WIG serves an active WIG of the right level (parentProblem finds nothing)', () => {
    const rows = allWigs();
    const byId = new Map(rows.map((w) => [w.id, w]));
    for (const wig of rows) {
      const parent = wig.parentId === null ? null : byId.get(wig.parentId)!;
      const facts = parent
        ? { id: parent.id, level: parent.level, schoolId: parent.schoolId, status: parent.status }
        : null;
      expect(parentProblem(wig, facts), `${wig.level} WIG “${wig.lagName}”`).toBeNull();
    }
  });

  it(`no team has more than ${MAX_ACTIVE_TEAM_WIGS} active WIGs`, () => {
    const perTeam = new Map<number, number>();
    for (const w of allWigs())
      if (w.teamId !== null && w.status === 'active') perTeam.set(w.teamId, (perTeam.get(w.teamId) ?? 0) + 1);
    expect(Math.max(...perTeam.values())).toBeLessThanOrEqual(MAX_ACTIVE_TEAM_WIGS);
    expect([...perTeam.values()]).toContain(2);
  });
});

describe('the demo history', () => {
  it('about twelve school weeks of entries, all before this week, none in a holiday week or on a day the school is closed', () => {
    const owners = measureOwners();
    const calendars = schoolCalendars(db(), [
      null,
      ...new Set([...owners.values()].map((o) => o.wig.schoolId).filter((id) => id !== null)),
    ]);
    const entries = db().select().from(leadEntries).all();
    const days = db().select().from(leadDayEntries).all();
    const weeks = new Set([...entries.map((e) => e.week), ...days.map((d) => weekStart(d.date))]);
    expect(weeks.size).toBeGreaterThanOrEqual(10);
    expect(weeks.size).toBeLessThanOrEqual(13);
    expect([...weeks].every((w) => w < CURRENT_WEEK)).toBe(true);
    expect(summary.historyWeeks).toBe(weeks.size);
    for (const e of entries)
      expect(
        isSchoolWeek(e.week, calendars.get(owners.get(e.leadMeasureId)!.wig.schoolId)!),
        `entry for ${e.week}`,
      ).toBe(true);
    for (const d of days)
      expect(
        isSchoolDay(d.date, calendars.get(owners.get(d.leadMeasureId)!.wig.schoolId)!),
        `daily entry on ${d.date}`,
      ).toBe(true);
    // The half-term week (26 to 30 Oct) expects nothing, and has nothing.
    expect(weeks.has('2026-10-26')).toBe(false);
    expect(entries.length + days.length).toBeGreaterThan(3000);
    expect(
      db()
        .select()
        .from(lagReadings)
        .all()
        .every((r) => r.date < TODAY),
    ).toBe(true);
  });

  it('the demo teacher (Aaron Beckett, Year 6) has every earlier week filled and this week still to fill, on a WIG with all three kinds of measure', () => {
    const teacher = findPersonByEmail(db(), 'teacher@wigboard.demo')!;
    const lead = findPersonByEmail(db(), 'lead@wigboard.demo')!;
    const teamId = db()
      .select()
      .from(roleAssignments)
      .where(and(eq(roleAssignments.personId, teacher.id), eq(roleAssignments.role, 'team_member')))
      .get()!.teamId!;
    expect(
      db()
        .select()
        .from(roleAssignments)
        .where(and(eq(roleAssignments.personId, lead.id), eq(roleAssignments.teamId, teamId)))
        .get()?.role,
    ).toBe('team_leader');
    const teamWigs = db()
      .select()
      .from(wigs)
      .where(and(eq(wigs.teamId, teamId), eq(wigs.status, 'active')))
      .all();
    expect(teamWigs.length).toBeGreaterThanOrEqual(1);
    const measures = db()
      .select()
      .from(leadMeasures)
      .where(
        inArray(
          leadMeasures.wigId,
          teamWigs.map((w) => w.id),
        ),
      )
      .all();
    const kinds = new Set(measures.map((m) => (m.kind === 'daily' ? 'daily' : m.perPerson ? 'individual' : 'team')));
    expect(kinds).toEqual(new Set(['daily', 'individual', 'team']));

    const thisWeek = db()
      .select()
      .from(leadEntries)
      .where(and(eq(leadEntries.personId, teacher.id), gte(leadEntries.week, CURRENT_WEEK)))
      .all();
    const thisWeekDays = db()
      .select()
      .from(leadDayEntries)
      .where(and(eq(leadDayEntries.personId, teacher.id), gte(leadDayEntries.date, CURRENT_WEEK)))
      .all();
    expect([...thisWeek, ...thisWeekDays]).toEqual([]);

    const calendar = schoolCalendars(db(), [teamWigs[0]!.schoolId]).get(teamWigs[0]!.schoolId)!;
    const history = schoolWeeks({ start: DEMO_YEAR.terms[0]!.startDate, end: addDays(CURRENT_WEEK, -1) }, calendar);
    for (const m of measures.filter((x) => x.perPerson)) {
      if (m.kind === 'number') {
        const weeks = db()
          .select()
          .from(leadEntries)
          .where(
            and(
              eq(leadEntries.leadMeasureId, m.id),
              eq(leadEntries.personId, teacher.id),
              lt(leadEntries.week, CURRENT_WEEK),
            ),
          )
          .all()
          .map((e) => e.week);
        expect(weeks.sort(), m.name).toEqual(history);
      } else {
        const dates = db()
          .select()
          .from(leadDayEntries)
          .where(and(eq(leadDayEntries.leadMeasureId, m.id), eq(leadDayEntries.personId, teacher.id)))
          .all();
        expect(new Set(dates.map((d) => weekStart(d.date))).size, m.name).toBe(history.length);
      }
    }
  });

  it('some teams are clearly winning and some clearly losing: lead measures over the last four weeks, and the lag measure against the path', () => {
    const owners = measureOwners();
    const periods = new Map<number, { fromWeek: string; target: number }[]>();
    for (const t of db().select().from(leadTargets).all())
      periods.set(t.leadMeasureId, [...(periods.get(t.leadMeasureId) ?? []), t]);
    const history = [
      ...new Set(
        db()
          .select()
          .from(leadEntries)
          .all()
          .map((e) => e.week),
      ),
    ].sort();
    const lastFour = history.slice(-4);
    const score = new Map<number, { met: number; all: number }>();
    const count = (measureId: number, met: boolean) => {
      const teamId = owners.get(measureId)!.wig.teamId;
      if (teamId === null) return;
      const s = score.get(teamId) ?? { met: 0, all: 0 };
      s.all++;
      if (met) s.met++;
      score.set(teamId, s);
    };
    for (const e of db().select().from(leadEntries).where(inArray(leadEntries.week, lastFour)).all()) {
      const { measure } = owners.get(e.leadMeasureId)!;
      count(
        e.leadMeasureId,
        meetsTarget(e.value, targetForWeek(periods.get(e.leadMeasureId)!, e.week)!, measure.direction),
      );
    }
    for (const d of db().select().from(leadDayEntries).where(gte(leadDayEntries.date, lastFour[0]!)).all())
      count(d.leadMeasureId, d.kept);
    const shares = [...score.values()].map((s) => s.met / s.all);
    expect(Math.max(...shares)).toBeGreaterThanOrEqual(0.8);
    expect(Math.min(...shares)).toBeLessThanOrEqual(0.5);
    expect(shares.filter((s) => s >= 0.8).length).toBeGreaterThanOrEqual(3);
    expect(shares.filter((s) => s <= 0.5).length).toBeGreaterThanOrEqual(3);

    // The latest lag reading against the straight line from X (at the start) to Y (at the deadline).
    const readings = db().select().from(lagReadings).all();
    const ahead = allWigs()
      .filter((w) => w.status === 'active' && w.level === 'team')
      .map((w) => {
        const latest = readings
          .filter((r) => r.wigId === w.id)
          .sort((a, b) => a.date.localeCompare(b.date))
          .at(-1)!;
        const path =
          w.baseline! +
          (w.target! - w.baseline!) *
            ((dayNumber(latest.date) - dayNumber(w.startDate!)) / (dayNumber(w.deadline!) - dayNumber(w.startDate!)));
        return w.direction === 'increase' ? latest.value - path : path - latest.value;
      });
    expect(ahead.some((a) => a > 0.5)).toBe(true);
    expect(ahead.some((a) => a < -0.5)).toBe(true);
  });

  it('lag readings come every three or four school weeks after a baseline, entered by the one who keeps the WIG', () => {
    const rows = allWigs().filter((w) => w.status === 'active');
    const readings = db().select().from(lagReadings).all();
    for (const wig of rows) {
      const own = readings.filter((r) => r.wigId === wig.id).sort((a, b) => a.date.localeCompare(b.date));
      expect(own.length, wig.lagName).toBeGreaterThanOrEqual(3);
      expect(own[0]).toMatchObject({ date: wig.startDate, value: wig.baseline });
      for (const r of own) expect(r.enteredBy).not.toBeNull();
    }
  });

  it('is the same every time for the same day, and is in the academic year holding that day (the next one in the summer holiday)', async () => {
    const again = await seeded('again', TODAY);
    const values = (d: OpenedDatabase) =>
      d.db
        .select({ m: leadEntries.leadMeasureId, w: leadEntries.week, p: leadEntries.personId, v: leadEntries.value })
        .from(leadEntries)
        .all();
    expect(values(again.database)).toEqual(values(database));
    again.database.close();

    const weeksOf = (d: OpenedDatabase) =>
      d.db
        .select({ week: leadEntries.week })
        .from(leadEntries)
        .all()
        .map((e) => e.week)
        .sort();
    const yearsOf = (d: OpenedDatabase) =>
      d.db
        .select({ name: academicYears.name })
        .from(academicYears)
        .all()
        .map((y) => y.name);

    // In the summer term: that year, with its history from September up to the week before.
    const june = await seeded('june', '2026-06-01');
    expect(yearsOf(june.database)).toEqual(['2025–26']);
    expect(june.summary.historyWeeks).toBeGreaterThan(30);
    expect(weeksOf(june.database)[0]! >= weekStart('2025-09-01') && weeksOf(june.database).at(-1)! < '2026-06-01').toBe(
      true,
    );
    june.database.close();

    // In the summer holiday: the coming year, nothing entered yet.
    const summer = await seeded('summer', '2027-08-10');
    expect(yearsOf(summer.database)).toEqual(['2027–28']);
    expect(summer.summary).toMatchObject({ historyWeeks: 0, leadEntries: 0, dayEntries: 0 });
    summer.database.close();

    // In another academic year's spring term: that year's autumn as history, every WIG due by its July.
    const after = await seeded('after', '2028-01-10');
    const year = demoYearFor('2028-01-10');
    expect(yearsOf(after.database)).toEqual(['2027–28']);
    const weeks = weeksOf(after.database);
    expect(weeks[0]! >= weekStart(year.startDate) && weeks.at(-1)! < '2028-01-10').toBe(true);
    expect(after.summary.historyWeeks).toBeGreaterThanOrEqual(14);
    expect(
      new Set(
        after.database.db
          .select({ deadline: wigs.deadline })
          .from(wigs)
          .where(eq(wigs.status, 'active'))
          .all()
          .map((w) => w.deadline),
      ),
    ).toEqual(new Set([year.wigDeadline]));
    after.database.close();
  });
});
