// A correction keeps when a week's number was first entered, so execution health still counts it as in before the session.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { saveDayEntry, saveEntry } from '../../src/db/queries/measures.ts';
import { auditLog, leadDayEntries, leadEntries } from '../../src/db/schema.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createActiveTeamWig, createMeasures, createSchoolYear } from '../helpers/measures.ts';
import { seedWorld, type World } from '../helpers/world.ts';

let t: TestApp;
let world: World;
beforeEach(async () => {
  t = await createTestApp();
  world = await seedWorld(t.app.db);
  createSchoolYear(t.app.db, world.schoolA);
});
afterEach(() => t.close());

it('a corrected number and a corrected day keep their first entry time; the correction is in the audit log', async () => {
  const db = t.app.db;
  const m = createMeasures(
    db,
    world.person.lead,
    createActiveTeamWig(db, world.person.lead, { id: world.teamA, schoolId: world.schoolA }),
  );
  const monday = Date.UTC(2026, 10, 23, 9);
  const friday = Date.UTC(2026, 10, 27, 15);
  saveEntry(db, world.person.member, m.team, '2026-11-23', null, 3, monday);
  expect(saveEntry(db, world.person.lead, m.team, '2026-11-23', null, 4, friday)).toBe('corrected');
  expect(db.select().from(leadEntries).get()).toMatchObject({
    value: 4,
    enteredAt: monday,
    enteredBy: world.person.lead,
  });
  saveDayEntry(db, world.person.member, m.daily, '2026-11-23', world.person.member, true, monday);
  saveDayEntry(db, world.person.member, m.daily, '2026-11-23', world.person.member, false, friday);
  expect(db.select().from(leadDayEntries).get()).toMatchObject({ kept: false, enteredAt: monday });
  const corrections = db
    .select()
    .from(auditLog)
    .all()
    .filter((a) => a.action === 'correct');
  expect(corrections.map((a) => a.at)).toEqual([friday, friday]);
});
