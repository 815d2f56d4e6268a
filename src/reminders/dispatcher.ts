// Sends the outbox: claims each ready row (status "sending", attempts + 1) before sending, then marks it sent, or queues
// it again with back-off, or fails it with the last error. At most once per key, even across crashes.
import nodemailer from 'nodemailer';
import type { SmtpConfig } from '../config.ts';
import type { Db } from '../db/connection.ts';
import {
  claimNext,
  failInterrupted,
  markAttemptFailed,
  markSent,
  markSkipped,
  recheck,
  skipStale,
  type OutboxRow,
} from '../db/queries/reminders.ts';

export interface OutgoingMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  key: string;
}

export interface Transport {
  send(message: OutgoingMessage): Promise<void>;
  close(): void;
}

/** nodemailer over SMTP, with explicit connect, greeting and socket timeouts so a dead server never hangs a send. */
export function smtpTransport(smtp: Readonly<SmtpConfig>): Transport {
  const timeouts = {
    connectionTimeout: smtp.connectionTimeoutMs,
    greetingTimeout: smtp.greetingTimeoutMs,
    socketTimeout: smtp.socketTimeoutMs,
  };
  const transporter = smtp.url
    ? nodemailer.createTransport({ url: smtp.url, ...timeouts } as Parameters<typeof nodemailer.createTransport>[0])
    : nodemailer.createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.secure,
        auth: smtp.user ? { user: smtp.user, pass: smtp.pass ?? '' } : undefined,
        ...timeouts,
      });
  return {
    async send(message) {
      await transporter.sendMail({
        from: smtp.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        // The outbox key makes the message traceable (and lets a receiving system drop a duplicate if one ever appeared).
        messageId: `<${message.key.replace(/[^\w.-]/g, '.')}@wigboard>`,
        headers: { 'X-Wigboard-Key': message.key },
      });
    },
    close() {
      transporter.close();
    },
  };
}

export interface DispatchOptions {
  maxAttempts: number;
  /** First retry after this long; each further retry waits twice as long (capped at six hours). */
  backoffMs?: number;
  /** At most this many messages in one run. */
  limit?: number;
  now: () => number;
  /** Checked before each claim: true once the cadence is stopping, so a run ends after the send in flight. */
  stopping?: () => boolean;
}

export interface DispatchResult {
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
}

export const backoffDelay = (attempts: number, baseMs: number) =>
  Math.min(6 * 3_600_000, baseMs * 2 ** Math.max(0, attempts - 1));

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 500);

/**
 * Sends what is ready, one message at a time, to each person's current address after a last check (`recheck`).
 * Stale rows are skipped first. Only the send is retried on error: a row whose send succeeded but could not be
 * marked sent stays "sending", so the next start fails it rather than sending it twice.
 */
export async function dispatch(db: Db, transport: Transport, options: DispatchOptions): Promise<DispatchResult> {
  const result: DispatchResult = { sent: 0, retried: 0, failed: 0, skipped: skipStale(db, options.now()) };
  const base = options.backoffMs ?? 60_000;
  for (let i = 0; i < (options.limit ?? 500); i++) {
    if (options.stopping?.()) break;
    const row: OutboxRow | null = claimNext(db, options.now());
    if (!row) break;
    const check = recheck(db, row);
    if ('skip' in check) {
      markSkipped(db, row.id, check.skip);
      result.skipped++;
      continue;
    }
    let sent = false;
    try {
      await transport.send({
        to: check.to,
        subject: row.subject,
        text: row.textBody,
        html: row.htmlBody,
        key: row.key,
      });
      sent = true;
    } catch (err) {
      const final = row.attempts >= options.maxAttempts;
      markAttemptFailed(db, row.id, errorText(err), final ? null : options.now() + backoffDelay(row.attempts, base));
      if (final) result.failed++;
      else result.retried++;
      // The server is likely down: leave the rest queued for the next run rather than failing each in turn now.
      if (!final) break;
    }
    if (sent) {
      // Outside the try: if this write fails the row stays "sending" (failed, never re-sent, at the next start).
      markSent(db, row.id, options.now(), check.to);
      result.sent++;
    }
  }
  return result;
}

/**
 * At start-up, before any send: a row found in "sending" was being sent when the process died. It may have reached
 * the server, so it is failed with a note rather than sent again — the trade-off is a rare lost reminder, never a duplicate.
 */
export const recoverInterrupted = (db: Db) => failInterrupted(db);
