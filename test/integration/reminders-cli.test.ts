// npm run reminders: on a demo database, what the cadence would make due — sent nowhere, written nowhere.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/password.ts';
import { rootDir } from '../../src/config.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { addDays, weekStart } from '../../src/domain/calendar.ts';
import { seedDemo } from '../../scripts/seed-demo.ts';
import { demoYearFor } from '../../scripts/demo-year.ts';
import { PINNED_TODAY } from '../helpers/clock.ts';
import { tempDir } from '../helpers/app.ts';

const run = promisify(execFile);
let dir = '';
let file = '';

beforeAll(async () => {
  dir = tempDir('wigboard-cli-');
  file = path.join(dir, 'demo.sqlite');
  const database = openDatabase(file);
  seedDemo(database.db, await hashPassword('wigboard-demo', { N: 1024, r: 8, p: 1 }), PINNED_TODAY);
  database.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', path.join(rootDir, 'scripts/reminders.ts'), ...args], {
    cwd: rootDir,
    env: { ...process.env, DATABASE_PATH: file, NODE_ENV: 'test' },
    timeout: 60_000,
  });

const autumn2 = demoYearFor(PINNED_TODAY).terms[1]!;
const termWeek = addDays(weekStart(autumn2.startDate), 7);
const christmasWeek = addDays(weekStart(autumn2.endDate), 7);

describe('scripts/reminders.ts', () => {
  it(`--from --to --json over a school week in term (w/c ${termWeek}) prints one non-empty JSON array of {kind, to, key, at}`, async () => {
    const before = fs.statSync(file).mtimeMs;
    const { stdout } = await cli(
      '--from',
      `${termWeek}T00:00:00Z`,
      '--to',
      `${addDays(termWeek, 6)}T23:55:00Z`,
      '--json',
    );
    const due = JSON.parse(stdout) as { kind: string; to: string; key: string; at: string }[];
    expect(due.length).toBeGreaterThan(0);
    for (const r of due) {
      expect(Object.keys(r).sort()).toEqual(['at', 'key', 'kind', 'to']);
      expect(r.at >= `${termWeek}T00:00` && r.at <= `${addDays(termWeek, 7)}T00:00`).toBe(true);
    }
    expect(new Set(due.map((r) => r.key)).size).toBe(due.length);
    expect(due.some((r) => r.kind === 'school_digest')).toBe(true);
    // Nothing was written to the database it read.
    expect(fs.statSync(file).mtimeMs).toBe(before);
  }, 60_000);

  it(`--from --to --json over a week of the Christmas holiday (w/c ${christmasWeek}) prints an empty array`, async () => {
    const { stdout } = await cli(
      '--from',
      `${christmasWeek}T00:00:00Z`,
      '--to',
      `${addDays(christmasWeek, 6)}T23:55:00Z`,
      '--json',
    );
    expect(JSON.parse(stdout)).toEqual([]);
  }, 60_000);

  it('run exactly as documented, `npm run reminders -- … --json`, standard output is the JSON array and nothing else', async () => {
    const { stdout } = await run(
      'npm',
      ['run', 'reminders', '--', '--from', `${termWeek}T00:00:00Z`, '--to', `${termWeek}T23:55:00Z`, '--json'],
      {
        cwd: rootDir,
        env: { ...process.env, DATABASE_PATH: file, NODE_ENV: 'test' },
        timeout: 60_000,
      },
    );
    expect(stdout.trimStart().startsWith('[')).toBe(true);
    expect(Array.isArray(JSON.parse(stdout))).toBe(true);
  }, 60_000);

  it('--at prints what is due at that instant in words, and a bad instant is refused with a usage line', async () => {
    const { stdout } = await cli('--at', `${addDays(termWeek, 4)}T16:30:00Z`);
    expect(stdout).toMatch(/school_digest/);
    expect(stdout).toMatch(/nothing was sent/);
    await expect(cli('--at', 'next tuesday')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('usage:'),
    });
  }, 60_000);
});
