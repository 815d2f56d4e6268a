// The wall display's figures: a paired display's credential, its first load (bytes, raw and gzipped), and how long one saved
// number takes to reach N displays connected over server-sent events.
import http from 'node:http';
import zlib from 'node:zlib';
import { and, eq } from 'drizzle-orm';
import { openDatabase } from '../../src/db/connection.ts';
import { claimPairing, createPairing, pickUpCredential } from '../../src/db/queries/displays.ts';
import { activeTeamMeasures } from '../../src/db/queries/weekly-update.ts';
import { displayPairings, people } from '../../src/db/schema.ts';
import { localDate, weekStart } from '../../src/domain/calendar.ts';
import { BenchFailure } from './measure.ts';

export interface BenchDisplay {
  /** The Cookie header the TV sends. */
  cookie: string;
  /** A number cell the signed-in member may save this week, to set off a change. */
  cell: { measureId: number; personId: number | null; week: string };
}

/** Pairs a display for `teamId` straight in the database, as a headteacher would through the form, and picks up its credential. */
export function pairBenchDisplay(
  databasePath: string,
  teamId: number,
  memberEmail: string,
  timeZone: string,
): BenchDisplay {
  const database = openDatabase(databasePath);
  try {
    const db = database.db;
    const now = Date.now();
    const pairing = createPairing(db, now)!;
    const row = db.select().from(displayPairings).where(eq(displayPairings.code, pairing.code)).get()!;
    const member = db
      .select()
      .from(people)
      .where(and(eq(people.email, memberEmail)))
      .get()!;
    claimPairing(
      db,
      member.id,
      row.id,
      { name: 'Bench TV', kind: 'team', schoolId: null, teamId, rotateSeconds: 20 },
      now,
    );
    const credential = pickUpCredential(db, pairing.secret, now);
    if (!credential) throw new BenchFailure('could not pair the bench display');
    const measure = activeTeamMeasures(db, [teamId]).find((m) => m.kind === 'number');
    if (!measure) throw new BenchFailure(`team ${teamId} has no number lead measure to save`);
    return {
      cookie: `wigboard_display=${credential.token}`,
      cell: {
        measureId: measure.id,
        personId: measure.perPerson ? member.id : null,
        week: weekStart(localDate(now, timeZone)),
      },
    };
  } finally {
    database.close();
  }
}

/** Everything a display downloads on its first visit: the page, each stylesheet, script and icon it names, and the first board over SSE. */
export async function firstLoad(
  baseUrl: string,
  cookie: string,
): Promise<{ files: { path: string; bytes: number; gzipped: number }[]; bytes: number; gzipped: number }> {
  const page = await fetch(`${baseUrl}/display`, { headers: { cookie } });
  const html = await page.text();
  if (!html.includes('data-banner'))
    throw new BenchFailure('GET /display with the bench credential did not show a board');
  const assets = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  const files = [{ path: '/display', body: Buffer.from(html) }];
  for (const asset of new Set(assets)) {
    const response = await fetch(`${baseUrl}${asset}`);
    if (!response.ok) throw new BenchFailure(`${asset} answered ${response.status}`);
    files.push({ path: asset, body: Buffer.from(await response.arrayBuffer()) });
  }
  const first = await firstSseMessage(baseUrl, cookie);
  files.push({ path: '/display/stream (first board)', body: Buffer.from(first) });
  const sized = files.map((f) => ({ path: f.path, bytes: f.body.length, gzipped: zlib.gzipSync(f.body).length }));
  return {
    files: sized,
    bytes: sized.reduce((a, f) => a + f.bytes, 0),
    gzipped: sized.reduce((a, f) => a + f.gzipped, 0),
  };
}

function firstSseMessage(baseUrl: string, cookie: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const request = http.get(
      `${baseUrl}/display/stream`,
      { headers: { cookie, accept: 'text/event-stream' }, agent: false },
      (response) => {
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
          const end = text.indexOf('\n\n', text.indexOf('data: '));
          if (text.includes('data: ') && end >= 0) {
            request.destroy();
            resolve(text.slice(text.indexOf('data: '), end + 2));
          }
        });
      },
    );
    request.setTimeout(5000, () => request.destroy(new Error('no first board within 5 s')));
    request.on('error', reject);
  });
}

export interface FanOutResult {
  displays: number;
  /** Milliseconds from sending the save to the moment each display had the new board: median, 99th percentile, last. */
  p50: number;
  p99: number;
  all: number;
  /** The save's own response time (ms). */
  saveMs: number;
}

/**
 * Opens `n` SSE connections as `n` displays showing the same team, waits until each has its first board, then saves one
 * number as the signed-in member and times how long until every display has received the new board. Bounded: gives up
 * after `timeoutMs`.
 */
export async function sseFanOut(
  baseUrl: string,
  display: BenchDisplay,
  memberCookie: string,
  teamId: number,
  n: number,
  timeoutMs = 15_000,
): Promise<FanOutResult> {
  const requests: http.ClientRequest[] = [];
  const ready: Promise<void>[] = [];
  const arrived: (number | null)[] = Array.from({ length: n }, () => null);
  let sentAt = Number.POSITIVE_INFINITY;
  let allArrived: () => void = () => {};
  const done = new Promise<void>((resolve) => (allArrived = resolve));
  let count = 0;
  try {
    for (let i = 0; i < n; i++) {
      ready.push(
        new Promise<void>((resolve, reject) => {
          let buffer = '';
          let boards = 0;
          const request = http.get(
            `${baseUrl}/display/stream`,
            { headers: { cookie: display.cookie, accept: 'text/event-stream' }, agent: false },
            (response) => {
              response.setEncoding('utf8');
              response.on('data', (chunk: string) => {
                buffer += chunk;
                let end;
                while ((end = buffer.indexOf('\n\n')) >= 0) {
                  const message = buffer.slice(0, end);
                  buffer = buffer.slice(end + 2);
                  if (!message.startsWith('data: ')) continue;
                  boards++;
                  if (boards === 1) resolve();
                  else if (arrived[i] === null && Date.now() >= sentAt) {
                    arrived[i] = Date.now() - sentAt;
                    if (++count === n) allArrived();
                  }
                }
              });
            },
          );
          request.on('error', reject);
          requests.push(request);
        }),
      );
    }
    await withTimeout(Promise.all(ready), timeoutMs, `not all ${n} displays got their first board`);

    // The member's week page gives the form's CSRF token, as a browser has it before saving.
    const week = await fetch(`${baseUrl}/teams/${teamId}/week`, { headers: { cookie: memberCookie } });
    const token = /name="_csrf" value="([^"]+)"/.exec(await week.text())?.[1];
    if (!token) throw new BenchFailure('no CSRF token on the member week page');
    const value = String(100 + Math.floor(Math.random() * 800));
    sentAt = Date.now();
    const saved = await fetch(`${baseUrl}/teams/${teamId}/entries`, {
      method: 'POST',
      headers: {
        cookie: memberCookie,
        'content-type': 'application/x-www-form-urlencoded',
        'hx-request': 'true',
        'hx-request-type': 'partial',
        'x-csrf-token': token,
      },
      body: new URLSearchParams({
        measureId: String(display.cell.measureId),
        personId: display.cell.personId === null ? '' : String(display.cell.personId),
        week: display.cell.week,
        value,
      }).toString(),
    });
    await saved.arrayBuffer();
    const saveMs = Date.now() - sentAt;
    if (!saved.ok) throw new BenchFailure(`saving a number answered ${saved.status}`);
    await withTimeout(done, timeoutMs, `only ${count} of ${n} displays received the change`);
    const times = (arrived as number[]).sort((a, b) => a - b);
    return {
      displays: n,
      p50: times[Math.floor(n * 0.5)]!,
      p99: times[Math.min(n - 1, Math.floor(n * 0.99))]!,
      all: times[n - 1]!,
      saveMs,
    };
  } finally {
    for (const request of requests) request.destroy();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new BenchFailure(`${message} within ${ms} ms`)), ms)),
    ),
  ]).finally(() => clearTimeout(timer));
}
