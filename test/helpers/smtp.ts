// A real SMTP server on 127.0.0.1 (the smtp-server package) that keeps what arrives, for the reminder tests.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

interface Received {
  to: string;
  raw: string;
  key: string | null;
  subject: string;
}

export interface TestSmtp {
  port: number;
  received: Received[];
  /** Called when a message's DATA begins; return a promise to hold the DATA phase until it settles. */
  onData: ((to: string) => Promise<void> | void) | null;
  close(): Promise<void>;
}

/** Starts an SMTP server on 127.0.0.1 (port 0 = any free port), with no TLS and no auth, keeping every message. */
export async function startSmtp(port = 0): Promise<TestSmtp> {
  const received: Received[] = [];
  const state: TestSmtp = {
    port: 0,
    received,
    onData: null,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // No reverse DNS lookup of 127.0.0.1 on every connection: it only slows the tests.
    disableReverseLookup: true,
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address).join(',');
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        await state.onData?.(to);
        const raw = Buffer.concat(chunks).toString('utf8');
        const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(raw)?.[1]?.trim() ?? null;
        received.push({ to, raw, key: header('X-Wigboard-Key'), subject: header('Subject') ?? '' });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  state.port = (server.server.address() as AddressInfo).port;
  return state;
}

/** The plain-text part of a received message, with quoted-printable soft breaks and escapes undone. */
export function textPart(raw: string): string {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  const parts = boundary ? raw.split(`--${boundary}`) : [raw];
  const plain = parts.find((p) => /Content-Type: text\/plain/i.test(p)) ?? raw;
  const part = plain
    .split(/\r?\n\r?\n/)
    .slice(1)
    .join('\n\n');
  const latin1 = part
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(latin1, 'latin1').toString('utf8');
}
