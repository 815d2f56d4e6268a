// The only file that listens: boots the app from the environment and shuts it down gracefully on SIGTERM/SIGINT.
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { shutdownGraceMs, startCadence } from './reminders/cron.ts';

export async function startServer(config: Readonly<Config>): Promise<FastifyInstance> {
  const app = await buildApp(config);
  if (config.reminders) {
    // Stopped in preClose: the tick and any send in flight finish before the database closes.
    const cadence = startCadence(app);
    app.addHook('preClose', async () => cadence.stop());
  }
  await app.listen({ host: config.host, port: config.port });
  if (config.secureCookies && config.trustProxy === false) {
    app.log.warn(
      'SECURE_COOKIES is on and TRUST_PROXY is off: sign-in works only over https straight to this process. Behind a TLS proxy, set TRUST_PROXY.',
    );
  }
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      app.log.error('shutdown took too long; exiting');
      process.exit(1);
    }, shutdownGraceMs(config)); // long enough for a reminder send in flight to end (see src/reminders/cron.ts)
    force.unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return app;
}

export function configOrExit(): Readonly<Config> {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`wigboard: configuration error: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const config = configOrExit();
  startServer(config).catch((err: unknown) => {
    console.error('wigboard: could not start:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
