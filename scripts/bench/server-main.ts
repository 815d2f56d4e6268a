// Child process of npm run bench: the production app plus a bare hello route (or plain Fastify alone), on 127.0.0.1, a free port.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { HELLO_PATH, type ServerMessage, type ServerMode } from './server-process.ts';

const send = (message: ServerMessage) => process.send?.(message);

async function build(mode: ServerMode): Promise<FastifyInstance> {
  if (mode === 'plain') {
    // Fastify's own hello world: no plugins, no hooks, no logger.
    const plain = Fastify({ logger: false });
    plain.get(HELLO_PATH, async () => 'hello');
    return plain;
  }
  // Loaded only here, so plain Fastify's memory holds none of the app's modules.
  const [{ buildApp }, { rules }, { configOrExit }] = await Promise.all([
    import('../../src/app.ts'),
    import('../../src/domain/access.ts'),
    import('../../src/server.ts'),
  ]);
  // The same app instance as production: every global hook (request id, session, auth, helmet) runs for the hello route too.
  const app = await buildApp(configOrExit());
  app.get(HELLO_PATH, { config: { access: rules.public } }, async () => 'hello');
  return app;
}

const [mode, benchDir] = process.argv.slice(2);
if ((mode !== 'app' && mode !== 'plain') || !benchDir) {
  console.error('usage: server-main.ts app|plain <bench temp dir> (started by npm run bench)');
  process.exit(2);
}
if (!process.send) {
  console.error('server-main.ts is started by npm run bench, over an IPC channel');
  process.exit(2);
}

// Ctrl+C reaches us too, but the bench stops us in order; if the bench itself is killed, the IPC channel closes (below).
process.on('SIGINT', () => {});

// The bench's temporary directory: removed by us only when the bench has gone without doing it, and only if it is one.
const orphanable = path.resolve(benchDir);
const removeOrphanedDir = () => {
  if (
    path.dirname(orphanable) === path.resolve(os.tmpdir()) &&
    path.basename(orphanable).startsWith('wigboard-bench-')
  ) {
    fs.rmSync(orphanable, { recursive: true, force: true });
  }
};

let app: FastifyInstance | null = null;
let closing = false;
const close = (orphaned: boolean) => {
  if (closing) return;
  closing = true;
  setTimeout(() => process.exit(1), 5_000).unref();
  (app ? app.close() : Promise.resolve()).then(
    () => {
      if (orphaned) removeOrphanedDir();
      process.exit(0);
    },
    () => process.exit(1),
  );
};
process.once('SIGTERM', () => close(false));
process.once('disconnect', () => close(true));

app = await build(mode);
await app.listen({ host: '127.0.0.1', port: 0 });
// Asked before and after each measured run (and for memory only where /proc is missing): a few microseconds each.
process.on('message', (message: unknown) => {
  if ((message as { type?: unknown } | null)?.type === 'usage') {
    const cpu = process.cpuUsage();
    send({
      type: 'usage',
      rss: process.memoryUsage.rss(),
      peakRss: process.resourceUsage().maxRSS * 1024,
      cpuMicros: cpu.user + cpu.system,
    });
  }
});

send({ type: 'listening', port: (app.server.address() as AddressInfo).port });
