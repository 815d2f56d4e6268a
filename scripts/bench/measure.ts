// Measures one route with autocannon: a check that it answers the right page, a warm-up, then a fixed-length run.
import fs from 'node:fs';
import autocannon from 'autocannon';
import type { ServerProcess } from './server-process.ts';

export interface RouteSpec {
  /** What the table calls it. */
  label: string;
  path: string;
  server: ServerProcess;
  headers?: Record<string, string>;
  /** Text the page must contain, so a 200 of the wrong page (or of a sign-in page) is not measured. */
  expect: string;
}

export interface LoadOptions {
  connections: number;
  /** Seconds. */
  duration: number;
  /** Seconds; 0 for none. */
  warmup: number;
}

export interface RouteResult {
  label: string;
  path: string;
  /** Mean of autocannon's per-second samples. */
  requestsPerSecond: number;
  requests: number;
  /** Milliseconds, from every measured response's own time (autocannon's histogram rounds to whole ms). */
  p50: number;
  p99: number;
  /** Server CPU time (user + system, all threads) per response during the measured run: microseconds. */
  cpuMicrosPerRequest: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Bytes: the largest RSS sampled every 100 ms during the measured run; null without /proc. */
  peakRss: number | null;
  /** Cores' worth of CPU that processes other than the server and the bench used during the run; null without /proc. */
  otherLoad: number | null;
}

export class BenchFailure extends Error {}

/** CPU time every core of the machine has spent running processes, from /proc/stat (in USER_HZ ticks, 100 a second on Linux): microseconds. */
function machineBusyMicros(): number | null {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 4).map(Number);
    const [user, nice, system] = fields as [number, number, number];
    // Not irq/softirq: loopback networking for our own load is counted there, not in any process's time.
    return (user + nice + system) * 10_000;
  } catch {
    return null;
  }
}

const ownMicros = () => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Every response time of one run, in a growing typed array (a plain array of 100k numbers costs the load generator more). */
class Samples {
  private values = new Float64Array(1 << 16);
  length = 0;
  add(value: number) {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }
  sorted(): Float64Array {
    return this.values.slice(0, this.length).sort();
  }
}

function run(
  options: autocannon.Options,
  signal: AbortSignal,
  onResponse?: (ms: number) => void,
): Promise<autocannon.Result> {
  const instance = autocannon(options);
  if (onResponse) instance.on('response', (_client, _status, _bytes, ms) => onResponse(ms));
  const stop = () => instance.stop();
  signal.addEventListener('abort', stop, { once: true });
  return Promise.resolve(instance).finally(() => signal.removeEventListener('abort', stop));
}

function refuseFailures(spec: RouteSpec, phase: string, result: autocannon.Result): void {
  if (result.non2xx === 0 && result.errors === 0 && result.timeouts === 0) return;
  const codes = Object.entries(result.statusCodeStats)
    .map(([code, { count }]) => `${code}×${count}`)
    .join(', ');
  throw new BenchFailure(
    `${spec.label} (${spec.path}) ${phase}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts (status codes: ${codes || 'none'}). ` +
      'A benchmark of error pages is meaningless; the server said:\n' +
      (spec.server.output() || '(nothing)'),
  );
}

/** One page load before any load, checked: status 200 and the expected text. */
async function check(spec: RouteSpec): Promise<void> {
  const response = await fetch(spec.server.baseUrl + spec.path, { redirect: 'manual', headers: spec.headers ?? {} });
  const body = await response.text();
  if (response.status !== 200) {
    throw new BenchFailure(
      `${spec.label} (${spec.path}) answered ${response.status}${response.headers.get('location') ? ` → ${response.headers.get('location')}` : ''}, not 200`,
    );
  }
  if (!body.includes(spec.expect))
    throw new BenchFailure(`${spec.label} (${spec.path}) answered 200 but not the expected page (no "${spec.expect}")`);
}

export async function measure(spec: RouteSpec, load: LoadOptions, signal: AbortSignal): Promise<RouteResult> {
  await check(spec);
  const options: autocannon.Options = {
    url: spec.server.baseUrl + spec.path,
    connections: load.connections,
    pipelining: 1,
    timeout: 10,
    headers: spec.headers ?? {},
  };
  if (load.warmup > 0 && !signal.aborted)
    refuseFailures(spec, 'warm-up', await run({ ...options, duration: load.warmup }, signal));
  signal.throwIfAborted();

  const samples = new Samples();
  const cpuBefore = await spec.server.cpuMicros();
  const machineBefore = machineBusyMicros();
  const ownBefore = ownMicros();
  const started = process.hrtime.bigint();
  let peakRss: number | null = spec.server.sampleRss();
  const sampler = setInterval(() => {
    const rss = spec.server.sampleRss();
    if (rss !== null) peakRss = Math.max(peakRss ?? 0, rss);
  }, 100);
  let result: autocannon.Result;
  try {
    result = await run({ ...options, duration: load.duration }, signal, (ms) => samples.add(ms));
  } finally {
    clearInterval(sampler);
  }
  signal.throwIfAborted();
  const wallMicros = Number(process.hrtime.bigint() - started) / 1000;
  const ownAfter = ownMicros();
  const machineAfter = machineBusyMicros();
  const cpuAfter = await spec.server.cpuMicros();
  if (spec.server.exited)
    throw new BenchFailure(`the server exited while ${spec.path} was measured:\n${spec.server.output()}`);
  refuseFailures(spec, 'measured run', result);

  const sorted = samples.sorted();
  return {
    label: spec.label,
    path: spec.path,
    requestsPerSecond: result.requests.mean,
    requests: result.requests.total,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    cpuMicrosPerRequest: result.requests.total > 0 ? (cpuAfter - cpuBefore) / result.requests.total : Number.NaN,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
    peakRss,
    otherLoad:
      machineBefore === null || machineAfter === null
        ? null
        : Math.max(0, (machineAfter - machineBefore - (ownAfter - ownBefore) - (cpuAfter - cpuBefore)) / wallMicros),
  };
}
