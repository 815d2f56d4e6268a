// Importing the GOV.UK bank holidays file.
import { describe, expect, it } from 'vitest';
import { parseBankHolidays } from '../../src/domain/bank-holidays.ts';

const sample = JSON.stringify({
  'england-and-wales': {
    division: 'england-and-wales',
    events: [
      { title: 'Christmas Day', date: '2026-12-25', notes: '', bunting: true },
      { title: 'Boxing Day', date: '2026-12-28', notes: 'Substitute day', bunting: true },
    ],
  },
  scotland: {
    division: 'scotland',
    events: [{ title: 'St Andrew’s Day', date: '2026-11-30', notes: '', bunting: true }],
  },
});

describe('GOV.UK bank holidays', () => {
  it('reads every division', () => {
    const result = parseBankHolidays(sample);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.divisions['england-and-wales']).toEqual([
      { date: '2026-12-25', title: 'Christmas Day' },
      { date: '2026-12-28', title: 'Boxing Day' },
    ]);
    expect(Object.keys(result.divisions)).toEqual(['england-and-wales', 'scotland']);
  });

  it('explains what is wrong with a bad file', () => {
    expect(parseBankHolidays('not json')).toMatchObject({ ok: false, error: expect.stringMatching(/not JSON/) });
    expect(parseBankHolidays('[]')).toMatchObject({ ok: false });
    expect(parseBankHolidays('{}')).toMatchObject({ ok: false, error: expect.stringMatching(/no bank holidays/) });
    expect(parseBankHolidays('{"x": {"events": [{"title": "A", "date": "2026-02-30"}]}}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Event 1/),
    });
    expect(parseBankHolidays('{"x": {"events": [{"date": "2026-02-03"}]}}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/no title/),
    });
  });
});
