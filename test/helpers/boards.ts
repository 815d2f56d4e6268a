// A board to look at, for the display, scoreboard and execution tests: an academic year with the terms a test needs,
// and the trust's WIG with team A's WIG under it, both active, and the team's one lead measure.
import type { Db } from '../../src/db/connection.ts';
import { createAcademicYear, createClosure, createTerm } from '../../src/db/queries/calendar.ts';
import { createLeadMeasure } from '../../src/db/queries/measures.ts';
import { createWig, setWigStatus } from '../../src/db/queries/wigs.ts';
import type { ClosureKind } from '../../src/domain/calendar.ts';
import type { World } from './world.ts';

type Dated = readonly [name: string, startDate: string, endDate: string];

/** 2026–27 (1 Sep 2026 to 31 Aug 2027) with these terms, and trust-wide closures ([kind, name, start, end]). */
export function createYear(db: Db, terms: readonly Dated[], closures: readonly [ClosureKind, ...Dated][] = []): void {
  const year = createAcademicYear(db, null, { name: '2026–27', startDate: '2026-09-01', endDate: '2027-08-31' });
  for (const [name, startDate, endDate] of terms) createTerm(db, null, year, { name, startDate, endDate });
  for (const [kind, name, startDate, endDate] of closures)
    createClosure(db, null, null, kind, { name, startDate, endDate });
}

/**
 * The trust's WIG ("Trust", from 60% to `trustTarget`) set by the CEO, and team A's WIG under it ("Reading at the
 * expected standard", from 60% to 80% by 16 Jul 2027) set by its leader, both active; the team's "Parent conferences"
 * measure, 3 a week from the first week of September.
 */
export function createTeamBoard(db: Db, world: World, options: { trustTarget?: number } = {}) {
  const base = { unit: '%', direction: 'increase' as const, startDate: '2026-09-01', deadline: '2027-07-16' };
  const trustWig = createWig(
    db,
    world.person.ceo,
    { level: 'trust', schoolId: null, teamId: null },
    { ...base, lagName: 'Trust', baseline: 60, target: options.trustTarget ?? 80, parentId: null },
  );
  setWigStatus(db, world.person.ceo, trustWig, 'active');
  const teamWig = createWig(
    db,
    world.person.lead,
    { level: 'team', schoolId: world.schoolA, teamId: world.teamA },
    { ...base, lagName: 'Reading at the expected standard', baseline: 60, target: 80, parentId: trustWig },
  );
  setWigStatus(db, world.person.lead, teamWig, 'active');
  const measure = createLeadMeasure(
    db,
    world.person.lead,
    teamWig,
    { name: 'Parent conferences', kind: 'number', perPerson: false, unit: 'conferences', direction: 'increase' },
    3,
    '2026-08-31',
  );
  return { trustWig, teamWig, measure };
}
