// One reading of a typed number for every way in: the weekly grid, the forms and the CSV import agree on what a number is.
import { describe, expect, it } from 'vitest';
import { parseCsvNumber } from '../../src/domain/csv.ts';
import { ENTRY_LIMITS } from '../../src/domain/lead-measures.ts';
import { readNumber } from '../../src/domain/numbers.ts';
import { parseEntryValue } from '../../src/domain/weekly-update.ts';
import { FormReader } from '../../src/forms.ts';

describe('readNumber', () => {
  it('reads plain numbers, thousands in threes, a sign where allowed and a per cent sign where allowed; empty is null', () => {
    const any = { min: -1e9, max: 1e9 };
    expect(readNumber('5', any)).toEqual({ ok: true, value: 5 });
    expect(readNumber(' 2.25 ', any)).toEqual({ ok: true, value: 2.25 });
    expect(readNumber('1,250', any)).toEqual({ ok: true, value: 1250 });
    expect(readNumber('1,250,000.5', any)).toEqual({ ok: true, value: 1250000.5 });
    expect(readNumber('-3', any)).toEqual({ ok: true, value: -3 });
    expect(readNumber('- 3', any)).toEqual({ ok: true, value: -3 });
    expect(readNumber('72%', { ...any, percent: true })).toEqual({ ok: true, value: 72 });
    expect(readNumber('', any)).toEqual({ ok: true, value: null });
  });

  it.each([
    ['2,5', 'decimal_comma'],
    ['1,2,3', 'not_a_number'],
    ['12,34,567', 'not_a_number'],
    ['1e5', 'not_a_number'],
    ['.5', 'not_a_number'],
    ['5.', 'not_a_number'],
    ['1 000', 'not_a_number'],
    ['72%', 'not_a_number'],
    ['1.234', 'too_many_places'],
    ['-1', 'below_min'],
    ['100000.01', 'above_max'],
  ])('refuses %j (%s) within the entry limits', (raw, problem) => {
    expect(readNumber(raw, ENTRY_LIMITS)).toMatchObject({ ok: false, problem });
  });
});

describe('the grid, the forms and the CSV import read a number the same way', () => {
  const grid = (raw: string) => parseEntryValue(raw);
  const form = (raw: string) => new FormReader({ v: raw }).decimal('v', 'Weekly target', ENTRY_LIMITS);
  const csv = (raw: string) => parseCsvNumber(raw, ENTRY_LIMITS);

  it('"1,250" is 1,250 in each', () => {
    expect(grid('1,250')).toEqual({ ok: true, value: 1250 });
    expect(form('1,250')).toBe(1250);
    expect(csv('1,250')).toEqual({ ok: true, value: 1250 });
  });

  it('"1,2,3" is refused by each (a form once read it as 123)', () => {
    expect(grid('1,2,3').ok).toBe(false);
    expect(form('1,2,3')).toBeNull();
    expect(csv('1,2,3').ok).toBe(false);
  });

  it('"2,5" is refused by each as a decimal comma (a form once read it as 25)', () => {
    expect(grid('2,5')).toEqual({ ok: false, error: 'Enter a number, like 5 or 2.5' });
    const reader = new FormReader({ v: '2,5' });
    expect(reader.decimal('v', 'Weekly target', ENTRY_LIMITS)).toBeNull();
    expect(reader.errors.v).toBe('Weekly target has a decimal comma: use a decimal point, like 2.5');
    expect(csv('2,5')).toEqual({ ok: false, error: expect.stringContaining('decimal comma') });
  });
});
