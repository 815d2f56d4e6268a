// Numbers as people type them, into a form, a cell of the weekly grid or a spreadsheet: one reading of them for every
// way in, so "1,250" means the same everywhere and "2,5" or "1,2,3" is refused everywhere. Each caller words the problem.

export interface NumberLimits {
  min: number;
  max: number;
  /** Decimal places allowed (2 unless given). */
  places?: number;
  /** A trailing % is allowed, as a spreadsheet formats a percentage. */
  percent?: boolean;
}

/** A value read from what someone typed, or why it could not be read, in words for them. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export type NumberProblem = 'not_a_number' | 'decimal_comma' | 'too_many_places' | 'below_min' | 'above_max';

export type ReadNumber = { ok: true; value: number | null } | { ok: false; problem: NumberProblem; text: string };

/**
 * "5", "2.5", "1,250" (thousands in groups of three), "-3" (or "- 3") where the limits go below zero, "72%" where a
 * per cent sign is allowed; empty is null. Refused: a decimal comma ("2,5"), other commas ("1,2,3"), "1e5", ".5",
 * "5.", "1 000", more decimal places than allowed, and anything outside the limits. `text` is what was read, tidied.
 */
export function readNumber(raw: string, limits: NumberLimits): ReadNumber {
  let text = raw.trim();
  if (text === '') return { ok: true, value: null };
  if (limits.percent && text.endsWith('%')) text = text.slice(0, -1).trimEnd();
  text = text.replace(/^-\s+/, '-');
  if (/^-?\d+,\d{1,2}$/.test(text)) return { ok: false, problem: 'decimal_comma', text };
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) text = text.replaceAll(',', '');
  if (!/^-?\d+(\.\d+)?$/.test(text)) return { ok: false, problem: 'not_a_number', text };
  if ((text.split('.')[1] ?? '').length > (limits.places ?? 2)) return { ok: false, problem: 'too_many_places', text };
  const value = Number(text);
  if (value < limits.min) return { ok: false, problem: 'below_min', text };
  if (value > limits.max) return { ok: false, problem: 'above_max', text };
  return { ok: true, value };
}

/** A limit as schools write numbers: "100,000". */
export const formatLimit = (n: number) => new Intl.NumberFormat('en-GB').format(n);
