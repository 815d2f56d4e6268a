// The geometry of a lead measure's weekly bars (views/partials/lead-bars.eta): one bar per school week against its
// target line, scaled so the tallest bar or target fits with room above it.
import type { IsoDate } from '../domain/calendar.ts';
import type { Status } from '../domain/status.ts';
import { shortDate } from '../domain/wig.ts';

/** The SVG box and the bars' places in it. */
export const BARS_BOX = {
  width: 640,
  height: 220,
  axisY: 180,
  axisLeft: 40,
  axisRight: 630,
  barWidth: 60,
  firstX: 56,
  step: 92,
  tallest: 160,
} as const;

// A bar's label ("16 Nov") for each week: the same few weeks on every board, so each is formatted once.
const barLabels = new Map<IsoDate, string>();
function barLabel(week: IsoDate): string {
  let label = barLabels.get(week);
  if (label === undefined) {
    if (barLabels.size > 500) barLabels.clear();
    barLabels.set(week, (label = shortDate(week).replace(/ \d{4}$/, '')));
  }
  return label;
}

/** Each week's figure as a bar: where it stands, how tall it is, and where its target line is (null without a target). */
export function leadBars<T extends { week: IsoDate; value: number | null; target: number | null; status: Status }>(
  weeks: readonly T[],
) {
  const max = Math.max(1, ...weeks.map((b) => Math.max(b.value ?? 0, b.target ?? 0))) * 1.15;
  const { axisY, firstX, step, tallest } = BARS_BOX;
  return weeks.map((b, i) => ({
    ...b,
    label: barLabel(b.week),
    x: firstX + i * step,
    height: b.value === null ? 0 : Math.round((b.value / max) * tallest),
    targetY: b.target === null ? null : axisY - Math.round((b.target / max) * tallest),
  }));
}
