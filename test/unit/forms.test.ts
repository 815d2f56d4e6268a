// FormReader: one message per field, values kept as typed.
import { describe, expect, it } from 'vitest';
import { FormReader } from '../../src/forms.ts';

describe('FormReader', () => {
  it('trims text and keeps the raw value to show again', () => {
    const form = new FormReader({ name: '  Siân Zoë 王  ' });
    expect(form.text('name', { label: 'Name', required: true, max: 10 })).toBe('Siân Zoë 王');
    expect(form.ok).toBe(true);
    expect(form.values.name).toBe('  Siân Zoë 王  ');
  });

  it('names a missing required field', () => {
    const form = new FormReader({});
    form.text('name', { label: 'School name', required: true });
    expect(form.errors).toEqual({ name: 'Enter school name' });
  });

  it('counts characters, not UTF-16 units, against the maximum', () => {
    expect(new FormReader({ n: '王'.repeat(5) }).text('n', { label: 'N', max: 5 })).toBe('王王王王王');
    const long = new FormReader({ n: 'x'.repeat(10_000) });
    long.text('n', { label: 'Team name', max: 120 });
    expect(long.errors.n).toBe('Team name must be 120 characters or fewer');
  });

  it('refuses control characters', () => {
    const form = new FormReader({ n: 'a\u0000b' });
    form.text('n', { label: 'Name' });
    expect(form.errors.n).toMatch(/cannot be used/);
  });

  it('checks email addresses and lower-cases them', () => {
    expect(new FormReader({ e: 'Jo@School.ORG.uk' }).email('e')).toBe('jo@school.org.uk');
    for (const bad of ['jo', 'jo@school', '<script>@x.y', 'a b@c.d']) {
      const form = new FormReader({ e: bad });
      form.email('e');
      expect(form.ok, bad).toBe(false);
    }
  });

  it('reads whole numbers within bounds', () => {
    expect(new FormReader({ m: '25' }).integer('m', 'Minutes', 10, 30)).toBe(25);
    for (const bad of ['', '9', '31', '2.5', '1e2', 'ten', '1; DROP TABLE teams']) {
      const form = new FormReader({ m: bad });
      expect(form.integer('m', 'Minutes', 10, 30), bad).toBeNull();
      expect(form.errors.m, bad).toBeTruthy();
    }
  });

  it('takes the first of repeated fields and ignores non-strings safely', () => {
    expect(new FormReader({ a: ['x', 'y'] }).raw('a')).toBe('x');
    expect(new FormReader(null).raw('a')).toBe('');
  });

  it('accepts only a listed choice', () => {
    const form = new FormReader({ role: 'emperor' });
    expect(form.choice('role', 'Role', ['team_member', 'team_leader'] as const)).toBeNull();
    expect(form.errors.role).toBe('Choose a valid role');
  });
});

describe('FormReader numbers and dates', () => {
  it('reads decimals with at most the allowed places', () => {
    expect(new FormReader({ v: '72.5' }).decimal('v', 'Baseline', { min: 0, max: 100 })).toBe(72.5);
    expect(new FormReader({ v: '1,250' }).decimal('v', 'Target', { min: 0, max: 10000 })).toBe(1250);
    expect(new FormReader({ v: '' }).decimal('v', 'Target', { min: 0, max: 1 })).toBeNull();
    for (const bad of ['1.234', 'abc', '1e5', '--1', '200']) {
      const form = new FormReader({ v: bad });
      expect(form.decimal('v', 'Value', { min: 0, max: 100 }), bad).toBeNull();
      expect(form.errors.v, bad).toBeTruthy();
    }
    const required = new FormReader({});
    required.decimal('v', 'Target', { required: true, min: 0, max: 1 });
    expect(required.errors.v).toBe('Enter target');
  });

  it('reads real calendar dates only', () => {
    expect(new FormReader({ d: '2027-07-16' }).date('d', 'Deadline')).toBe('2027-07-16');
    for (const bad of ['2027-02-30', '16/07/2027', 'tomorrow']) {
      const form = new FormReader({ d: bad });
      expect(form.date('d', 'Deadline'), bad).toBeNull();
      expect(form.errors.d).toMatch(/real date/);
    }
  });
});

describe('FormReader whole-number decimals', () => {
  it('reads a number with no decimal places allowed', () => {
    expect(new FormReader({ v: '80' }).decimal('v', 'Target', { min: 1, max: 100, places: 0 })).toBe(80);
    const form = new FormReader({ v: '80.5' });
    expect(form.decimal('v', 'Target', { min: 1, max: 100, places: 0 })).toBeNull();
    expect(form.errors.v).toBe('Target must be a number');
  });
});
