// The cadence wiring: a node-cron tick every five minutes (trust time zone, no overlap) that queues what fell due and
// then sends the outbox. Started by src/server.ts only; a failure is logged, never fatal.
import cron from 'node-cron';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { skipStale } from '../db/queries/reminders.ts';
import { createTicker } from './outbox.ts';
import { dispatch, recoverInterrupted, smtpTransport, type Transport } from './dispatcher.ts';

export interface Cadence {
  /** One run now: tick then dispatch (what the schedule does every five minutes). */
  runOnce(): Promise<void>;
  /** Stops the schedule and waits for the run in progress, which ends after the message it is sending (no new claim). */
  stop(): Promise<void>;
}

/**
 * How long a shutdown may take before it is forced (src/server.ts): the usual 10 s, plus — when SMTP is configured —
 * the worst case of the one send `stop()` waits for (connect, greeting and socket timeouts end to end).
 */
export function shutdownGraceMs(config: Readonly<Pick<Config, 'reminders' | 'smtp'>>): number {
  const smtp = config.reminders ? config.smtp : null;
  return 10_000 + (smtp ? smtp.connectionTimeoutMs + smtp.greetingTimeoutMs + smtp.socketTimeoutMs : 0);
}

export function startCadence(
  app: FastifyInstance,
  options: { schedule?: boolean; transport?: Transport | null } = {},
): Cadence {
  const { config } = app;
  const timeZone = app.trust().timeZone;
  const interrupted = recoverInterrupted(app.db);
  if (interrupted)
    app.log.warn({ interrupted }, 'reminders: messages interrupted mid-send were marked failed, not re-sent');
  const transport =
    options.transport !== undefined ? options.transport : config.smtp ? smtpTransport(config.smtp) : null;
  if (!transport) app.log.info('reminders: no SMTP configured; messages stay in the outbox (/admin/outbox)');
  // The trust's time zone is read at each tick, so a change in the trust settings applies without a restart.
  const context = {
    db: app.db,
    publicUrl: config.publicUrl,
    get timeZone() {
      return app.trust().timeZone;
    },
    onRenderError: (reminder: { key: string }, err: unknown) =>
      app.log.error({ err, key: reminder.key }, 'reminders: could not render a reminder; left out of this tick'),
  };
  const ticker = createTicker(context, { catchUpMs: config.reminderCatchUpHours * 3_600_000, now: app.now });
  let running: Promise<void> | null = null;
  let stopping = false;
  const work = async () => {
    try {
      const tick = ticker.tick();
      if (tick.added) app.log.info({ added: tick.added }, 'reminders: queued');
      if (transport) {
        const sent = await dispatch(app.db, transport, {
          maxAttempts: config.reminderMaxAttempts,
          now: app.now,
          stopping: () => stopping,
        });
        if (sent.sent || sent.failed || sent.retried || sent.skipped) app.log.info(sent, 'reminders: dispatched');
      } else {
        // Nothing sends, but the outbox page should not show rows past their time as queued for ever.
        skipStale(app.db, app.now());
      }
    } catch (err) {
      app.log.error({ err }, 'reminders: tick failed');
    }
  };
  const runOnce = (): Promise<void> => {
    if (stopping) return running ?? Promise.resolve();
    if (running) return running;
    // The work starts on a later microtask, after `running` is set, and only this run may clear it — so a run that
    // never awaits (no SMTP) or throws at once cannot leave a settled promise in `running` that blocks every later run.
    const run: Promise<void> = Promise.resolve()
      .then(work)
      .finally(() => {
        if (running === run) running = null;
      });
    running = run;
    return run;
  };
  const task =
    options.schedule === false
      ? null
      : cron.schedule('*/5 * * * *', runOnce, { timezone: timeZone, noOverlap: true, name: 'wigboard-reminders' });
  // The start-up catch-up: what fell due while the server was down.
  void runOnce();
  return {
    runOnce,
    async stop() {
      stopping = true;
      await task?.destroy();
      await running;
      transport?.close();
    },
  };
}
