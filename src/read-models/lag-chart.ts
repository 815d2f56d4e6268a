// The geometry of the lag chart (views/partials/lag-chart.eta): the lag measure's readings against the straight pace
// line from X at the start to Y at the deadline, mapped onto an SVG box.
import { shortDate } from '../domain/wig.ts';

/** Maps shares (0–1) and values onto an SVG box, with room for labels; y grows downwards. */
export function chartScale(
  values: readonly number[],
  box = { width: 640, height: 260, left: 56, right: 16, top: 16, bottom: 36 },
) {
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (min === max) {
    min -= 1;
    max += 1;
  }
  const pad = (max - min) * 0.1;
  min -= pad;
  max += pad;
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  return {
    box,
    x: (share: number) => Math.round((box.left + share * plotW) * 10) / 10,
    y: (value: number) => Math.round((box.top + (1 - (value - min) / (max - min)) * plotH) * 10) / 10,
    bottom: box.top + plotH,
  };
}

/** An SVG polyline's points attribute. */
const polyline = (points: readonly { x: number; y: number }[]) => points.map((p) => `${p.x},${p.y}`).join(' ');

export interface LagChartInput {
  baseline: number;
  target: number;
  startDate: string;
  deadline: string;
  /** Each reading with its share of the way from start to deadline (in school days). */
  points: readonly { share: number; value: number }[];
  /** Today's share of the way. */
  todayShare: number;
}

/** Where each line, point and label of the lag chart goes. */
export function lagChart(input: LagChartInput) {
  const { baseline, target, points } = input;
  const scale = chartScale([baseline, target, ...points.map((p) => p.value)]);
  return {
    scale,
    pace: polyline([
      { x: scale.x(0), y: scale.y(baseline) },
      { x: scale.x(1), y: scale.y(target) },
    ]),
    targetY: scale.y(target),
    baselineY: scale.y(baseline),
    readings: points.map((p) => ({ ...p, x: scale.x(p.share), y: scale.y(p.value) })),
    line: polyline(points.map((p) => ({ x: scale.x(p.share), y: scale.y(p.value) }))),
    todayX: scale.x(input.todayShare),
    startLabel: shortDate(input.startDate),
    deadlineLabel: shortDate(input.deadline),
  };
}
