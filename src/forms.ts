// Reading a submitted form: each field is trimmed and checked, the raw values are kept to re-render, and every problem is named per field.
import { readNumber, type NumberLimits, type NumberProblem } from './domain/numbers.ts';
import { CONTROL_CHARS } from './domain/text.ts';
import { readId } from './schemas.ts';
import { isIsoDate } from './domain/calendar.ts';

export type FieldErrors = Record<string, string>;

interface TextRule {
  label: string;
  required?: boolean;
  max?: number;
  min?: number;
  pattern?: RegExp;
  patternMessage?: string;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export class FormReader {
  readonly values: Record<string, string> = {};
  readonly errors: FieldErrors = {};

  constructor(private readonly body: unknown) {}

  get ok(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  raw(name: string): string {
    const source = (this.body ?? {}) as Record<string, unknown>;
    const value = source[name];
    const text =
      typeof value === 'string'
        ? value
        : Array.isArray(value)
          ? String(value[0] ?? '')
          : value == null
            ? ''
            : String(value);
    this.values[name] = text;
    return text;
  }

  fail(name: string, message: string): void {
    this.errors[name] ??= message;
  }

  /** A trimmed text field; returns '' when empty and not required. */
  text(name: string, rule: TextRule): string {
    const value = this.raw(name).trim();
    if (value === '') {
      if (rule.required) this.fail(name, `Enter ${rule.label.toLowerCase()}`);
      return '';
    }
    if (CONTROL_CHARS.test(value)) this.fail(name, `${rule.label} contains characters that cannot be used`);
    else if (rule.max !== undefined && [...value].length > rule.max)
      this.fail(name, `${rule.label} must be ${rule.max} characters or fewer`);
    else if (rule.min !== undefined && [...value].length < rule.min)
      this.fail(name, `${rule.label} must be at least ${rule.min} characters`);
    else if (rule.pattern && !rule.pattern.test(value))
      this.fail(name, rule.patternMessage ?? `${rule.label} is not in the right format`);
    return value;
  }

  email(name: string, label = 'Email address'): string {
    const value = this.text(name, { label, required: true, max: 254 }).toLowerCase();
    if (value && !this.errors[name] && !EMAIL.test(value))
      this.fail(name, `Enter an email address in the right format, like name@school.org.uk`);
    return value;
  }

  /** A whole number within bounds, or null when it is not one (the error is recorded). */
  integer(name: string, label: string, min: number, max: number): number | null {
    const value = this.raw(name).trim();
    if (value === '') {
      this.fail(name, `Enter ${label.toLowerCase()}`);
      return null;
    }
    if (!/^-?\d{1,9}$/.test(value)) {
      this.fail(name, `${label} must be a whole number`);
      return null;
    }
    const n = Number(value);
    if (n < min || n > max) {
      this.fail(name, `${label} must be between ${min} and ${max}`);
      return null;
    }
    return n;
  }

  /**
   * A row chosen from a list, read as every id is read (src/schemas.ts); null when empty ("Enter …") or not an id
   * (`unknown`, the same words the caller uses for an id that names nothing).
   */
  id(name: string, label: string, unknown: string): number | null {
    const value = this.raw(name).trim();
    if (value === '') {
      this.fail(name, `Enter ${label.toLowerCase()}`);
      return null;
    }
    const id = readId(value);
    if (id === null) this.fail(name, unknown);
    return id;
  }

  /** A number within limits, read as every form and the CSV import read one; null when empty (and not required) or wrong. */
  decimal(name: string, label: string, options: NumberLimits & { required?: boolean }): number | null {
    const read = readNumber(this.raw(name), options);
    if (read.ok && read.value === null && options.required) this.fail(name, `Enter ${label.toLowerCase()}`);
    if (read.ok) return read.value;
    const places = options.places ?? 2;
    const messages: Record<NumberProblem, string> = {
      not_a_number: `${label} must be a number${places ? `, with at most ${places} decimal places` : ''}`,
      decimal_comma: `${label} has a decimal comma: use a decimal point, like 2.5`,
      too_many_places: `${label} must be a number${places ? `, with at most ${places} decimal places` : ''}`,
      below_min: `${label} must be between ${options.min} and ${options.max}`,
      above_max: `${label} must be between ${options.min} and ${options.max}`,
    };
    this.fail(name, messages[read.problem]);
    return null;
  }

  /** A calendar date ("2026-11-24", as a date input sends it); null when empty (and not required) or not a real date. */
  date(name: string, label: string, required = false): string | null {
    const value = this.raw(name).trim();
    if (value === '') {
      if (required) this.fail(name, `Enter ${label.toLowerCase()}`);
      return null;
    }
    if (!isIsoDate(value)) {
      this.fail(name, `${label} must be a real date, like 2027-07-16`);
      return null;
    }
    return value;
  }

  /** One of a fixed set of values. */
  choice<T extends string>(name: string, label: string, allowed: readonly T[]): T | null {
    const value = this.raw(name).trim();
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.fail(name, value === '' ? `Choose ${label.toLowerCase()}` : `Choose a valid ${label.toLowerCase()}`);
    return null;
  }
}
