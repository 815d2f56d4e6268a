// Reads the GOV.UK bank-holidays JSON format ({"england-and-wales": {"division": …, "events": [{"title", "date"}]}}).
import { isIsoDate, type IsoDate } from './calendar.ts';

export interface BankHoliday {
  date: IsoDate;
  title: string;
}

export type ParseResult = { ok: true; divisions: Record<string, BankHoliday[]> } | { ok: false; error: string };

/** Parses the file's text; every division's events are checked, and a bad event names itself. */
export function parseBankHolidays(text: string): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: 'The file is not JSON. Download it again from GOV.UK (bank-holidays.json).' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return { ok: false, error: 'The file is not in the GOV.UK bank holidays format.' };
  const divisions: Record<string, BankHoliday[]> = {};
  for (const [key, value] of Object.entries(data)) {
    const events = (value as { events?: unknown } | null)?.events;
    if (!Array.isArray(events))
      return {
        ok: false,
        error: `“${key}” has no list of events: the file is not in the GOV.UK bank holidays format.`,
      };
    const list: BankHoliday[] = [];
    for (const [i, event] of events.entries()) {
      const { date, title } = (event ?? {}) as { date?: unknown; title?: unknown };
      if (typeof date !== 'string' || !isIsoDate(date))
        return { ok: false, error: `Event ${i + 1} of “${key}” has no valid date.` };
      if (typeof title !== 'string' || !title.trim())
        return { ok: false, error: `Event ${i + 1} of “${key}” (${date}) has no title.` };
      list.push({ date, title: title.trim().slice(0, 120) });
    }
    divisions[key] = list;
  }
  if (Object.keys(divisions).length === 0) return { ok: false, error: 'The file holds no bank holidays.' };
  return { ok: true, divisions };
}
