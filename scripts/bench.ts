// npm run bench: serves a fresh demo trust from a child process on 127.0.0.1 and measures pages against a bare hello route with autocannon.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hashPassword } from '../src/auth/password.ts';
import { ConfigError, loadConfig, rootDir, type Config } from '../src/config.ts';
import { openDatabase } from '../src/db/connection.ts';
import { BenchFailure, measure, type LoadOptions, type RouteResult, type RouteSpec } from './bench/measure.ts';
import { HELLO_PATH, startServerProcess, type Memory, type ServerProcess } from './bench/server-process.ts';
import { signIn } from './bench/sign-in.ts';
import { firstLoad, pairBenchDisplay, sseFanOut, type FanOutResult } from './bench/display.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo, type SeedSummary } from './seed-demo.ts';

const USAGE = `usage: npm run bench [-- --json] [--duration S] [--warmup S] [--connections N]
  --duration S      seconds measured per route (1–30, default 10)
  --warmup S        seconds of unmeasured load before each route (0–10, default 2)
  --connections N   concurrent connections (1–200, default 10)
  --displays N      wall displays connected over SSE for the fan-out figure (1–2000, default 500)
  --json            print the figures as JSON (progress still goes to stderr)`;

/** The signed-in page is measured as this demo account (a team member: the commonest person). */
const MEMBER = DEMO_ACCOUNTS.find((a) => a.email === 'teacher@wigboard.demo')!;
/** The trust's pages (the aligned WIG tree) are measured as the CEO, a trust leader. */
const TRUST_READER = DEMO_ACCOUNTS.find((a) => a.email === 'ceo@wigboard.demo')!;

const MiB = 1024 * 1024;
const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;
const mib = (bytes: number | null) => (bytes === null ? null : round(bytes / MiB, 1));
const progress = (line: string) => process.stderr.write(`· ${line}\n`);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function whole(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw new BenchFailure(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"\n${USAGE}`);
  return Number(raw);
}

function readOptions(): { json: boolean; load: LoadOptions; displays: number } {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        displays: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new BenchFailure(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  return {
    json: values.json,
    displays: whole('displays', values.displays, 500, 1, 2000),
    load: {
      duration: whole('duration', values.duration, 10, 1, 30),
      warmup: whole('warmup', values.warmup, 2, 0, 10),
      connections: whole('connections', values.connections, 10, 1, 200),
    },
  };
}

function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

function commit(): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: rootDir,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain'], { cwd: rootDir, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim() !== '';
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return null;
  }
}

function autocannonVersion(): string {
  try {
    return (
      JSON.parse(fs.readFileSync(path.join(rootDir, 'node_modules', 'autocannon', 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    return 'unknown';
  }
}

/** A fresh demo trust in `file`, with the real migrations and one production-strength password hash shared by every account. */
async function seedFreshDemo(config: Readonly<Config>): Promise<SeedSummary> {
  const passwordHash = await hashPassword(DEMO_PASSWORD, config.scrypt);
  const database = openDatabase(config.databasePath);
  try {
    return seedDemo(database.db, passwordHash);
  } finally {
    database.close();
  }
}

interface Report {
  date: string;
  commit: string | null;
  machine: ReturnType<typeof machine>;
  load: LoadOptions & { tool: string; pipelining: 1 };
  database: SeedSummary & { source: string; scrypt: Config['scrypt'] };
  server: {
    env: Record<string, string>;
    rssAfterBootMiB: number | null;
    rssAfterSignInMiB: number | null;
    peakRssMiB: number | null;
    peakRssSource: string;
  };
  routes: (Omit<RouteResult, 'peakRss'> & { ratioToHello: number | null; peakRssMiB: number | null })[];
  display: { firstLoad: Awaited<ReturnType<typeof firstLoad>>; fanOut: FanOutResult };
}

const TEMP_PREFIX = 'wigboard-bench-';
const OWNER_FILE = 'bench.pid';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Removes the temporary directories of earlier benches that were killed outright (SIGKILL leaves no chance to clean up). */
function sweepStaleDirs(): void {
  const tmp = os.tmpdir();
  for (const name of fs.readdirSync(tmp)) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const dir = path.join(tmp, name);
    try {
      const owner = Number(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) continue;
    } catch {
      // No owner file: a bench may be creating it this instant, so only an old directory is stale.
      if (Date.now() - fs.statSync(dir).mtimeMs < 60_000) continue;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What must not outlive the bench: the server processes and the temporary database. */
const owned = { dir: null as string | null, servers: new Set<ServerProcess>() };

async function launch(mode: 'app' | 'plain', env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<ServerProcess> {
  signal.throwIfAborted();
  const server = await startServerProcess(mode, env, owned.dir!);
  owned.servers.add(server);
  return server;
}

async function release(server: ServerProcess): Promise<void> {
  await server.stop();
  owned.servers.delete(server);
}

async function cleanUp(): Promise<void> {
  await Promise.all([...owned.servers].map(release));
  if (owned.dir) fs.rmSync(owned.dir, { recursive: true, force: true });
  owned.dir = null;
}

async function main(signal: AbortSignal): Promise<void> {
  const { json, load, displays } = readOptions();
  const started = Date.now();
  // Before any work of ours: the load average tells whether something else was already using the cores.
  const host = machine();

  sweepStaleDirs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), TEMP_PREFIX));
  owned.dir = dir;
  fs.writeFileSync(path.join(dir, OWNER_FILE), String(process.pid));
  // The production configuration, as the environment sets it, with the few settings a bench must fix.
  const fixed = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_PATH: path.join(dir, 'bench.sqlite'),
    // Plain http on 127.0.0.1: a Secure session cookie is never saved over http, so sign-in would not stick.
    SECURE_COOKIES: 'false',
  };
  const env: NodeJS.ProcessEnv = { ...process.env, ...fixed };
  let config: Readonly<Config>;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) throw new BenchFailure(`configuration error: ${err.message}`);
    throw err;
  }

  progress(
    `seeding a fresh demo trust into ${config.databasePath} (scrypt N=${config.scrypt.N}, r=${config.scrypt.r}, p=${config.scrypt.p})…`,
  );
  const seeded = await seedFreshDemo(config);
  signal.throwIfAborted();

  const routes: RouteResult[] = [];
  const phase = (label: string) => {
    signal.throwIfAborted();
    progress(`measuring ${label}: ${load.warmup} s warm-up, then ${load.duration} s…`);
  };

  // Fastify alone, in its own process so it adds nothing to the app's memory: what the framework costs on this machine.
  progress('starting plain Fastify (no plugins)…');
  const plain = await launch('plain', env, signal);
  phase("Fastify's own hello");
  routes.push(
    await measure(
      { label: "Fastify's own hello (plain, no plugins)", path: HELLO_PATH, server: plain, expect: 'hello' },
      load,
      signal,
    ),
  );
  const plainMemory = await plain.memory();
  routes[0]!.peakRss = Math.max(routes[0]!.peakRss ?? 0, plainMemory.peakRss);
  await release(plain);

  progress('starting the app (NODE_ENV=production)…');
  const app = await launch('app', env, signal);
  const afterBoot = await app.memory();
  signal.throwIfAborted();
  progress(`signing in as ${MEMBER.email} through POST /login…`);
  const cookie = await signIn(app.baseUrl, MEMBER.email, DEMO_PASSWORD);
  const afterSignIn = await app.memory();
  progress(`signing in as ${TRUST_READER.email} through POST /login…`);
  const trustCookie = await signIn(app.baseUrl, TRUST_READER.email, DEMO_PASSWORD);

  // The member's own team, read from their home page as a person would find it.
  const home = await (await fetch(`${app.baseUrl}/`, { headers: { cookie } })).text();
  const teamId = /href="\/teams\/(\d+)"/.exec(home)?.[1];
  if (!teamId) throw new BenchFailure(`no team link on ${MEMBER.email}'s home page`);

  // A wall display paired for the member's team, as a headteacher would pair the staffroom TV.
  const display = pairBenchDisplay(config.databasePath, Number(teamId), MEMBER.email, config.trustTimeZone);

  const specs: RouteSpec[] = [
    { label: 'hello route in the app (the ceiling)', path: HELLO_PATH, server: app, expect: 'hello' },
    // A first visit: no cookies, so every answer makes a CSRF secret and sets its cookie.
    {
      label: 'GET /login, signed out (first visit)',
      path: '/login',
      server: app,
      expect: 'autocomplete="current-password"',
    },
    {
      label: `GET /, signed in (team member)`,
      path: '/',
      server: app,
      headers: { cookie },
      expect: `Hello, ${MEMBER.name}`,
    },
    {
      label: `GET /teams/:id/scoreboard, signed in`,
      path: `/teams/${teamId}/scoreboard`,
      server: app,
      headers: { cookie },
      expect: 'lead measure',
    },
    {
      label: 'GET /trust/tree, signed in (trust leader)',
      path: '/trust/tree',
      server: app,
      headers: { cookie: trustCookie },
      expect: 'class="tree-node',
    },
    {
      label: 'GET /display, the wall display (its credential)',
      path: '/display',
      server: app,
      headers: { cookie: display.cookie },
      expect: 'data-banner',
    },
  ];
  for (const spec of specs) {
    phase(spec.label);
    routes.push(await measure(spec, load, signal));
  }
  signal.throwIfAborted();
  progress("measuring the display's first load…");
  const load1 = await firstLoad(app.baseUrl, display.cookie);
  progress(`connecting ${displays} displays over SSE, then saving one number as ${MEMBER.email}…`);
  const fanOut = await sseFanOut(app.baseUrl, display, cookie, Number(teamId), displays);
  const final: Memory = await app.memory();
  await release(app);

  const hello = routes[1]!.requestsPerSecond;
  const report: Report = {
    date: new Date(started).toISOString(),
    commit: commit(),
    machine: host,
    load: { ...load, tool: `autocannon ${autocannonVersion()}`, pipelining: 1 },
    database: {
      source: 'fresh demo trust seeded into a temporary file with the real migrations (scripts/seed-demo.ts)',
      scrypt: config.scrypt,
      ...seeded,
    },
    server: {
      env: { NODE_ENV: fixed.NODE_ENV, LOG_LEVEL: fixed.LOG_LEVEL, SECURE_COOKIES: fixed.SECURE_COOKIES },
      rssAfterBootMiB: mib(afterBoot.rss),
      rssAfterSignInMiB: mib(afterSignIn.rss),
      peakRssMiB: mib(final.peakRss),
      peakRssSource: app.memorySource,
    },
    routes: routes.map(({ peakRss, ...r }) => ({
      ...r,
      p50: round(r.p50, 3),
      p99: round(r.p99, 3),
      cpuMicrosPerRequest: round(r.cpuMicrosPerRequest, 1),
      ratioToHello: hello > 0 ? round(r.requestsPerSecond / hello, 4) : null,
      peakRssMiB: mib(peakRss),
      otherLoad: r.otherLoad === null ? null : round(r.otherLoad, 2),
    })),
    display: { firstLoad: load1, fanOut },
  };
  progress(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : render(report));
}

/** A warning line when the machine was already busy: other work on these cores skews every figure. */
function busy(m: Report['machine']): string {
  const oneMinute = m.loadAverage[0] ?? 0;
  if (oneMinute <= m.cores * 0.5) return '';
  return `WARNING   the machine was busy before the run (load average ${oneMinute} on ${m.cores} cores): figures are unreliable; run again when it is idle.\n`;
}

/** Warning lines for routes during which other processes took a noticeable share of the cores. */
function disturbed(report: Report): string {
  const notable = report.routes.filter((r) => r.otherLoad !== null && r.otherLoad > 0.1);
  if (notable.length === 0) return '';
  return `${notable.map((r) => `WARNING   other processes used ${r.otherLoad!.toFixed(2)} of a core while "${r.label}" was measured: its figures are unreliable.`).join('\n')}\n`;
}

function render(report: Report): string {
  const m = report.machine;
  const s = report.database.scrypt;
  const scryptMiB = (128 * s.N * s.r) / MiB;
  const table = [
    ['route', 'req/s', 'p50 ms', 'p99 ms', 'vs hello', 'non-2xx', 'server CPU µs/req', 'peak RSS MiB'],
    ...report.routes.map((r) => [
      r.label,
      Math.round(r.requestsPerSecond).toLocaleString('en-GB'),
      r.p50.toFixed(2),
      r.p99.toFixed(2),
      r.ratioToHello === null ? '–' : `${(r.ratioToHello * 100).toFixed(1)}%`,
      String(r.non2xx),
      Number.isFinite(r.cpuMicrosPerRequest) ? Math.round(r.cpuMicrosPerRequest).toLocaleString('en-GB') : '–',
      r.peakRssMiB === null ? '–' : r.peakRssMiB.toFixed(1),
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const lines = table.map((row) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('   '),
  );
  lines.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('   '));
  const plainRow = report.routes[0]!;
  return `
wigboard bench · ${report.date}${report.commit ? ` · commit ${report.commit}` : ''}
Machine   ${m.cpu} · ${m.cores} cores · ${m.memoryGiB} GiB RAM · ${m.os} · Node ${m.node} · load average before the run ${m.loadAverage.join(' ')}
Database  ${report.database.source}: ${report.database.schools} schools, ${report.database.teams} teams, ${report.database.people} people
Server    a child process on 127.0.0.1, run through tsx as npm start runs it: NODE_ENV=production (templates cached), LOG_LEVEL=warn,
          SECURE_COOKIES=false (plain http, where a Secure session cookie is never saved); scrypt N=${s.N}, r=${s.r}, p=${s.p}
Load      ${report.load.tool} in the bench's own process: ${report.load.connections} connections, no pipelining, ${report.load.warmup} s warm-up then ${report.load.duration} s per route
Caveat    the load generator and the server share these ${m.cores} cores, so req/s understates the server alone; the ratios and CPU per request are the comparable part.
${busy(m)}
${lines.join('\n')}
${disturbed(report)}
vs hello: req/s as a share of the hello route registered on the same app instance (every global hook runs for it: request id, session, auth, helmet).
p50/p99: from every measured response's own time. server CPU µs/req: the server process's user + system CPU time (all threads) during the
run over the responses it answered; 1,000,000 ÷ it is roughly what one core could serve with nothing else running.
peak RSS per route: the largest server RSS sampled every 100 ms during that route's run (the first row: plain Fastify's own process, whole life).

Wall display
  First load: ${report.display.firstLoad.files.map((f) => `${f.path} ${kb(f.gzipped)}`).join(', ')}
    = ${kb(report.display.firstLoad.gzipped)} gzipped (zlib level 6, as a compressing proxy sends it), ${kb(report.display.firstLoad.bytes)} raw.
  Live: one number saved by a signed-in member reached all ${report.display.fanOut.displays} displays connected over SSE in ${report.display.fanOut.all} ms
    (median ${report.display.fanOut.p50} ms, p99 ${report.display.fanOut.p99} ms, from sending the save; the save itself took ${report.display.fanOut.saveMs} ms).

Server peak RSS: ${report.server.peakRssMiB ?? '–'} MiB over the whole run (${report.server.peakRssSource}).
  After boot ${report.server.rssAfterBootMiB ?? '–'} MiB; after one sign-in ${report.server.rssAfterSignInMiB ?? '–'} MiB. The peak includes that sign-in:
  scrypt with N=${s.N}, r=${s.r} needs 128·N·r = ${scryptMiB} MiB while it runs. Plain Fastify peaked at ${plainRow.peakRssMiB ?? '–'} MiB.
`;
}

const controller = new AbortController();
let interrupted = false;
const interrupt = (signal: NodeJS.Signals) => {
  // Ctrl+C reaches the bench twice (from the terminal and relayed by tsx): the first stops the run, later ones wait for the clean-up.
  if (interrupted) return;
  interrupted = true;
  progress(`${signal}: stopping the load and the server, removing the temporary database…`);
  controller.abort(new BenchFailure('interrupted'));
  setTimeout(() => process.exit(130), 15_000).unref();
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);
// Whatever ends the process, no server or temporary database is left behind.
process.on('exit', () => {
  for (const server of owned.servers) server.kill();
  if (owned.dir) fs.rmSync(owned.dir, { recursive: true, force: true });
});

try {
  await main(controller.signal);
} catch (err) {
  process.exitCode = interrupted ? 130 : 1;
  if (!interrupted)
    console.error(
      `\nbench FAILED: ${err instanceof BenchFailure ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
} finally {
  try {
    await cleanUp();
  } catch (err) {
    console.error(`bench: clean-up failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
