// The cadence wiring: a node-cron tick every five minutes (trust time zone, no overlap) that queues what fell due and
// then sends the outbox. Started by src/server.ts only; a failure is logged, never fatal.
import cron from 'node-cron';
import type { FastifyInstance } from 'fastify';
import { createTicker } from './outbox.ts';
import { dispatch, recoverInterrupted, smtpTransport, type Transport } from './dispatcher.ts';

export interface Cadence {
  /** One run now: tick then dispatch (what the schedule does every five minutes). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

export function startCadence(app: FastifyInstance, options: { schedule?: boolean; transport?: Transport | null } = {}): Cadence {
  const { config } = app;
  const timeZone = app.trust().timeZone;
  const interrupted = recoverInterrupted(app.db);
  if (interrupted) app.log.warn({ interrupted }, 'reminders: messages interrupted mid-send were marked failed, not re-sent');
  const transport = options.transport !== undefined ? options.transport : config.smtp ? smtpTransport(config.smtp) : null;
  if (!transport) app.log.info('reminders: no SMTP configured; messages stay in the outbox (/admin/outbox)');
  // The trust's time zone is read at each tick, so a change in the trust settings applies without a restart.
  const context = { db: app.db, publicUrl: config.publicUrl, get timeZone() { return app.trust().timeZone; } };
  const ticker = createTicker(context, { catchUpMs: config.reminderCatchUpHours * 3_600_000, now: app.now });
  let running: Promise<void> | null = null;
  const runOnce = async () => {
    if (running) return running;
    running = (async () => {
      try {
        const tick = ticker.tick();
        if (tick.added) app.log.info({ added: tick.added }, 'reminders: queued');
        if (transport) {
          const sent = await dispatch(app.db, transport, { maxAttempts: config.reminderMaxAttempts, now: app.now });
          if (sent.sent || sent.failed || sent.retried || sent.skipped) app.log.info(sent, 'reminders: dispatched');
        }
      } catch (err) {
        app.log.error({ err }, 'reminders: tick failed');
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const task = options.schedule === false ? null : cron.schedule('*/5 * * * *', runOnce, { timezone: timeZone, noOverlap: true, name: 'wigboard-reminders' });
  // The start-up catch-up: what fell due while the server was down.
  void runOnce();
  return {
    runOnce,
    async stop() {
      await task?.destroy();
      await running;
      transport?.close();
    },
  };
}
