import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { dueSessions } from '../../src/domain/cadence.ts';
import type { SchoolCalendar } from '../../src/domain/calendar.ts';
import { escapeText, foldLine, sessionFeed } from '../../src/domain/ics.ts';

// Autumn 2026: half-term 26–30 Oct; INSET on Tue 10 Nov.
const calendar: SchoolCalendar = {
  terms: [
    { start: '2026-09-02', end: '2026-10-23' },
    { start: '2026-11-02', end: '2026-12-18' },
  ],
  closures: [{ start: '2026-11-10', end: '2026-11-10', kind: 'inset', name: 'INSET day' }],
};
const slot = { sessionWeekday: 2, sessionTime: '08:15', sessionMinutes: 25 };
const sessions = dueSessions(slot, { start: '2026-09-01', end: '2026-12-31' }, calendar);
const name = 'Year 6, Maths; “Reasoning” team — a long name that needs folding across several content lines';
const text = sessionFeed({
  teamId: 7,
  teamName: name,
  slot,
  sessions,
  timeZone: 'Europe/London',
  now: Date.parse('2026-11-24T09:00:00Z'),
  uidHost: 'wigboard.test',
});

describe('the WIG session feed', () => {
  const calendarComponent = new ICAL.Component(ICAL.parse(text));
  const events = calendarComponent.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));

  it('has one event per due session, none in the half-term week nor on the INSET Tuesday', () => {
    expect(events).toHaveLength(sessions.length);
    expect(sessions.length).toBe(13); // 7 in Autumn 1, 6 in Autumn 2 (not 10 Nov)
    const days = events.map((e) => e.startDate.toJSDate().toISOString().slice(0, 10));
    expect(days).not.toContain('2026-10-27');
    expect(days).not.toContain('2026-11-10');
    expect(days).toContain('2026-11-03');
  });
  it('places each session at its local time in UTC across the clock change', () => {
    const byDay = new Map(events.map((e) => [e.startDate.toJSDate().toISOString().slice(0, 10), e]));
    expect(byDay.get('2026-10-20')!.startDate.toJSDate().toISOString()).toBe('2026-10-20T07:15:00.000Z');
    expect(byDay.get('2026-11-03')!.startDate.toJSDate().toISOString()).toBe('2026-11-03T08:15:00.000Z');
    expect(byDay.get('2026-11-03')!.endDate.toJSDate().toISOString()).toBe('2026-11-03T08:40:00.000Z');
  });
  it('gives stable UIDs and the summary only', () => {
    expect(events.map((e) => e.uid)).toContain('wig-session-7-2026-11-03@wigboard.test');
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
    expect(events[0]!.summary).toBe(`WIG session — ${name}`);
    expect(events[0]!.description).toBeNull();
  });
  it('ends every line with CRLF and folds lines at 75 octets', () => {
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = text.split('\r\n');
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(lines.some((l) => l.startsWith(' '))).toBe(true);
  });
  it('escapes text and never splits a character when folding', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
    const folded = foldLine(`SUMMARY:${'—'.repeat(40)}`);
    expect(folded.split('\r\n ').join('')).toBe(`SUMMARY:${'—'.repeat(40)}`);
    for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  });
});
