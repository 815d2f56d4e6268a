// The one "today" of the test suite: every app clock and every demo seed in the tests uses it, never the machine's date.
import type { IsoDate } from '../../src/domain/calendar.ts';

/** Tue 24 Nov 2026, 10:00 UTC: a school day in the demo year's Autumn 2, with twelve school weeks of history before it. */
export const PINNED_NOW = Date.UTC(2026, 10, 24, 10);
/** The calendar date of PINNED_NOW in Europe/London. */
export const PINNED_TODAY: IsoDate = '2026-11-24';
/** A clock for buildApp's `now` option that always reads PINNED_NOW. */
export const pinnedClock = (): number => PINNED_NOW;
