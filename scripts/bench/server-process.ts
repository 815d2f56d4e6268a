// Starts and stops npm run bench's server child process, and reads its memory from /proc (or, lacking /proc, asks it).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { rootDir } from '../../src/config.ts';

/** app: the production app plus the hello route; plain: Fastify's own hello world, nothing else. */
export type ServerMode = 'app' | 'plain';

/** What the child tells the bench over IPC. */
export type ServerMessage =
  | { type: 'listening'; port: number }
  | { type: 'usage'; rss: number; peakRss: number; cpuMicros: number };

/** The bare route the bench measures as the ceiling; registered by the bench only, never in production code. */
export const HELLO_PATH = '/bench/hello';

/** Bytes. */
export interface Memory {
  rss: number;
  peakRss: number;
}

export interface ServerProcess {
  readonly pid: number;
  readonly baseUrl: string;
  /** Where memory() reads from. */
  readonly memorySource: string;
  /** Whether the process has ended (a crash mid-run fails the bench). */
  readonly exited: boolean;
  /** The resident set now, read from /proc without disturbing the server; null where there is no /proc. */
  sampleRss(): number | null;
  /** RSS now and the peak so far (VmHWM, or getrusage's maxrss where there is no /proc). */
  memory(): Promise<Memory>;
  /** CPU time the server has used so far, user and system, all its threads: microseconds. */
  cpuMicros(): Promise<number>;
  /** The last lines the server wrote, for a failure report. */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has gone. */
  stop(): Promise<void>;
  /** SIGKILL at once: for the last moment before the bench exits, when nothing can be awaited. */
  kill(): void;
}

const entry = path.join(rootDir, 'scripts', 'bench', 'server-main.ts');
const START_TIMEOUT_MS = 30_000;

function procStatus(pid: number): Record<string, number> | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const fields: Record<string, number> = {};
  for (const match of text.matchAll(/^(VmRSS|VmHWM):\s+(\d+) kB$/gm)) fields[match[1]!] = Number(match[2]) * 1024;
  return 'VmRSS' in fields && 'VmHWM' in fields ? fields : null;
}

/**
 * Starts the server child (node with tsx, as npm start runs it) and waits until it listens.
 * `benchDir` is the bench's temporary directory: the child removes it if the bench dies without doing so.
 */
export async function startServerProcess(
  mode: ServerMode,
  env: NodeJS.ProcessEnv,
  benchDir: string,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, mode, benchDir], {
    cwd: rootDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 40) lines.shift();
      // The server logs at warn: anything it says during a bench is worth seeing at once.
      process.stderr.write(`  [server ${mode}] ${line}\n`);
    }
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);

  let exited = false;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => {
    exited = true;
  });

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the ${mode} server did not start within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    const onMessage = (message: ServerMessage) => {
      if (message.type !== 'listening') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message.port);
    };
    child.on('message', onMessage);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`the ${mode} server exited before listening (${signal ?? `code ${code}`}):\n${lines.join('\n')}`),
      );
    });
  }).catch(async (err: unknown) => {
    if (!exited) child.kill('SIGKILL');
    await gone;
    throw err;
  });

  const pid = child.pid!;
  const usage = () =>
    new Promise<Extract<ServerMessage, { type: 'usage' }>>((resolve, reject) => {
      if (exited) return reject(new Error(`the ${mode} server has exited:\n${lines.join('\n')}`));
      const done = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`the ${mode} server did not report its resource usage`));
      }, 5_000);
      const onMessage = (message: ServerMessage) => {
        if (message.type !== 'usage') return;
        done();
        resolve(message);
      };
      const onExit = () => {
        done();
        reject(new Error(`the ${mode} server exited:\n${lines.join('\n')}`));
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send({ type: 'usage' });
    });
  return {
    pid,
    baseUrl: `http://127.0.0.1:${port}`,
    memorySource: procStatus(pid)
      ? `VmRSS/VmHWM from /proc/<pid>/status`
      : `rss and getrusage maxrss reported by the server`,
    get exited() {
      return exited;
    },
    sampleRss: () => procStatus(pid)?.VmRSS ?? null,
    async memory() {
      const status = procStatus(pid);
      if (status) return { rss: status.VmRSS!, peakRss: status.VmHWM! };
      const { rss, peakRss } = await usage();
      return { rss, peakRss };
    },
    cpuMicros: async () => (await usage()).cpuMicros,
    output: () => lines.join('\n'),
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(force);
    },
    kill() {
      if (!exited) child.kill('SIGKILL');
    },
  };
}
