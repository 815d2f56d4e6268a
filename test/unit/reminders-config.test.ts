// The reminder settings of the configuration: on by default, SMTP only when given, a bad value stops the boot.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { backoffDelay } from '../../src/reminders/dispatcher.ts';

describe('loadConfig — reminders and SMTP', () => {
  it('reminders are on and no SMTP is configured by default (messages stay in the outbox)', () => {
    const config = loadConfig({});
    expect(config.reminders).toBe(true);
    expect(config.smtp).toBeNull();
    expect(config.reminderCatchUpHours).toBe(72);
  });

  it('reads SMTP_HOST with its port, security, sign-in, sender and timeouts', () => {
    const { smtp } = loadConfig({
      SMTP_HOST: 'mail.example.org',
      SMTP_SECURE: 'true',
      SMTP_USER: 'u',
      SMTP_PASS: 'p',
      SMTP_FROM: 'Trust <r@example.org>',
      SMTP_SOCKET_TIMEOUT_MS: '5000',
    });
    expect(smtp).toMatchObject({
      host: 'mail.example.org',
      port: 465,
      secure: true,
      user: 'u',
      pass: 'p',
      from: 'Trust <r@example.org>',
      socketTimeoutMs: 5000,
      connectionTimeoutMs: 10000,
    });
    expect(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' }).smtp?.url).toBe('smtp://127.0.0.1:2525');
  });

  it('refuses a bad value with one clear line', () => {
    expect(() => loadConfig({ REMINDERS: 'maybe' })).toThrow(
      new ConfigError('REMINDERS must be on or off, got "maybe"'),
    );
    expect(() => loadConfig({ SMTP_URL: 'http://mail' })).toThrow(ConfigError);
    expect(() => loadConfig({ SMTP_HOST: 'mail', SMTP_PORT: '70000' })).toThrow(ConfigError);
    expect(() => loadConfig({ SMTP_HOST: 'mail', SMTP_FROM: 'a\r\nBcc: x@y' })).toThrow(ConfigError);
    expect(loadConfig({ REMINDERS: 'off' }).reminders).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('doubles from the base after each failed attempt, capped at six hours', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 60_000))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(backoffDelay(30, 60_000)).toBe(6 * 3_600_000);
  });
});
