// A team's WIG session series as an iCalendar (RFC 5545) feed: one event per due session, in UTC, nothing else about the team.
import { sessionInstants, type SessionSlot } from './cadence.ts';
import type { IsoDate } from './calendar.ts';

/** Escapes a TEXT value (RFC 5545 §3.3.11). */
export const escapeText = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/**
 * Folds a content line so that no line is longer than 75 octets (RFC 5545 §3.1): continuation lines start with one space,
 * and a multi-byte character is never split.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    // The first line holds 75 octets; each continuation line holds 74 after its leading space.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** An instant as a UTC DATE-TIME ("20261124T081500Z"). */
const utcStamp = (instant: number) =>
  new Date(instant)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

export interface SessionFeedInput {
  teamId: number;
  teamName: string;
  slot: SessionSlot;
  /** The due sessions (from `dueSessions`): holidays and INSET days already left out. */
  sessions: readonly { week: IsoDate; date: IsoDate }[];
  timeZone: string;
  /** DTSTAMP: when the feed was generated (ms). */
  now: number;
  /** The host part of each UID, e.g. the app's domain. */
  uidHost: string;
}

/**
 * The VCALENDAR text. Times are UTC (…Z), worked out from the trust's time zone for each date, so no VTIMEZONE is needed and
 * clocks changing in spring and autumn are already taken into account. UIDs are stable per team and date, so a calendar
 * that refreshes the feed updates its events rather than duplicating them.
 */
export function sessionFeed(input: SessionFeedInput): string {
  const summary = escapeText(`WIG session — ${input.teamName}`);
  const stamp = utcStamp(input.now);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//wigboard//WIG sessions//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${summary}`,
  ];
  for (const session of input.sessions) {
    const { start, end } = sessionInstants(input.slot, session.date, input.timeZone);
    lines.push(
      'BEGIN:VEVENT',
      `UID:wig-session-${input.teamId}-${session.date}@${input.uidHost}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${utcStamp(start)}`,
      `DTEND:${utcStamp(end)}`,
      `SUMMARY:${summary}`,
      'TRANSP:OPAQUE',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
