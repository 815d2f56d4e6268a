// Commitments made in the weekly WIG session: which week they are for, and the gentle warnings a leader sees (never a refusal).
import { addDays, isSchoolWeek, weekStart, type IsoDate, type SchoolCalendar } from './calendar.ts';

/** A request for help (clear the path) waits until the leader it went to resolves it. */
export const pathRequestStatuses = ['open', 'resolved'] as const;
export type PathRequestStatus = (typeof pathRequestStatuses)[number];

/** How a commitment went, as it is accounted for at the next session. */
export const commitmentOutcomes = ['done', 'partly', 'not_done'] as const;
export type CommitmentOutcome = (typeof commitmentOutcomes)[number];
/** The outcomes in words: on the session form, and (short) in the commitments history. */
export const outcomeWords: Record<CommitmentOutcome, string> = {
  done: 'Done',
  partly: 'Partly done',
  not_done: 'Not done',
};
export const outcomeShortWords: Record<CommitmentOutcome, string> = {
  done: 'Done',
  partly: 'Partly',
  not_done: 'Not done',
};

/** The longest a commitment, a path request or a note may be: a sentence or two, not an essay. */
export const COMMITMENT_MAX = 300;
export const NOTE_MAX = 300;
export const REVIEW_MAX = 2000;
/** Commitment slots per person in one session ("one or two commitments"), and new path request slots shown at once. */
export const COMMITMENT_SLOTS = 2;
export const PATH_REQUEST_SLOTS = 2;

/**
 * The week a session's commitments are for: the next school week after the session's week (a holiday week is skipped,
 * so commitments made before half-term are for the week back). With no school week in sight, simply the week after.
 */
export function commitmentWeek(sessionWeek: IsoDate, calendar: SchoolCalendar, limitWeeks = 10): IsoDate {
  const monday = weekStart(sessionWeek);
  for (let i = 1; i <= limitWeeks; i++) {
    const week = addDays(monday, 7 * i);
    if (isSchoolWeek(week, calendar)) return week;
  }
  return addDays(monday, 7);
}

/**
 * Verbs teachers most often start a commitment with. The list is a heuristic, not a dictionary: it only has to catch
 * "Reading" or "Year 6 phonics" (a topic, not an action) while letting "Call", "Model" or "Hold" through.
 */
const COMMON_VERBS = new Set(
  (
    'add agree analyse arrange ask assess attend audit book bring build call change chase check choose coach collect complete ' +
    'contact continue create deliver demonstrate design discuss display do draft email embed encourage ensure evaluate ' +
    'explain feed find finish follow get give go hand hear help hold identify implement introduce invite keep launch lead ' +
    'learn listen make mark meet message model monitor move observe offer organise pair phone plan post practise prepare ' +
    'present print provide put read record reduce refer rehearse remind research review revisit ring run schedule see ' +
    'send set share show sit speak start support take talk teach test text track train try update use visit walk watch write'
  ).split(' '),
);

/** Openings that come before the verb ("I will call…", "To model…", "We'll…"), skipped before the first word is judged. */
const PREAMBLE =
  /^(?:(?:i|we)\s+(?:will|shall|am going to|are going to)\s+|(?:i'll|we'll|i’ll|we’ll)\s+|will\s+|to\s+)/i;

/** The first word of what the person will do, lower-cased, with the usual preamble and punctuation taken off. */
export function firstWord(text: string): string {
  const rest = text.trim().replace(PREAMBLE, '');
  return (/^[\p{L}'’-]+/u.exec(rest)?.[0] ?? '').toLowerCase();
}

/**
 * Whether a commitment starts with a verb. Heuristic (documented so nobody mistakes it for grammar): the first word,
 * after an optional "I will / We'll / To", is a verb when it is one of the common verbs above, or ends like an English
 * verb does: -ise/-ize/-ify/-ate (organise, clarify, celebrate). A word ending in -ing or -ed is NOT accepted on its
 * own ("Reading", "Marked books"): those name a topic or a past deed, not what the person will do this week.
 */
export function startsWithVerb(text: string): boolean {
  const word = firstWord(text);
  if (word.length < 2) return false;
  if (COMMON_VERBS.has(word)) return true;
  if (/(?:ing|ed)$/.test(word)) return false;
  return /(?:ise|ize|ify|ate)$/.test(word);
}

/** Text compared word for word: case, spacing and a final full stop do not make a commitment new. */
const sameWords = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[.!]+$/, '');

/** Warnings for one commitment: it starts with no verb, or it repeats one of last week's word for word. Empty when fine. */
export function commitmentWarnings(text: string, lastWeekTexts: readonly string[]): string[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const warnings: string[] = [];
  if (!startsWithVerb(trimmed))
    warnings.push('This may not say what you will do: start with an action, such as “Call three parents…”.');
  if (lastWeekTexts.some((t) => sameWords(t) === sameWords(trimmed)))
    warnings.push('This is word for word last week’s commitment: is there a next step?');
  return warnings;
}
