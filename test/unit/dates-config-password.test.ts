// Dates as schools write them, configuration validation, and scrypt hashes.
import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, weekdayName } from '../../src/domain/dates.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { hashPassword, verifyPassword } from '../../src/auth/password.ts';

describe('dates', () => {
  it('writes dates the way schools do, in the trust time zone', () => {
    expect(formatDate(Date.UTC(2026, 10, 24, 12), 'Europe/London')).toBe('Tue 24 Nov 2026');
    // 23:30 UTC on 31 March is already 1 April in London (BST).
    expect(formatDate(Date.UTC(2026, 2, 31, 23, 30), 'Europe/London')).toBe('Wed 1 Apr 2026');
    expect(formatDateTime(Date.UTC(2026, 6, 1, 7, 5), 'Europe/London')).toBe('Wed 1 Jul 2026, 08:05');
    expect(formatDateTime(Date.UTC(2026, 0, 1, 7, 5), 'Europe/London')).toBe('Thu 1 Jan 2026, 07:05');
  });

  it('names ISO weekdays from Monday', () => {
    expect(weekdayName(1)).toBe('Monday');
    expect(weekdayName(7)).toBe('Sunday');
    expect(weekdayName(8)).toBe('');
  });
});

describe('config', () => {
  it('has safe defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.trustTimeZone).toBe('Europe/London');
    expect(c.scrypt).toEqual({ N: 131072, r: 8, p: 1 });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('stops on a bad value with one clear line', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(new ConfigError('PORT must be a whole number, got "eighty"'));
    expect(() => loadConfig({ SCRYPT_N: '3000' })).toThrow(/power of two/);
    expect(() => loadConfig({ TRUST_TIME_ZONE: 'Mars/Olympus' })).toThrow(/time zone/);
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/32 characters/);
    expect(() => loadConfig({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
    expect(() => loadConfig({ SECURE_COOKIES: 'yes' })).toThrow(/true or false/);
  });
});

describe('password hashes', () => {
  const params = { N: 1024, r: 8, p: 1 };
  it('verifies the right password and refuses others', async () => {
    const hash = await hashPassword('Siân’s long passphrase', params);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword('Siân’s long passphrase', hash)).toBe(true);
    expect(await verifyPassword('Sian’s long passphrase', hash)).toBe(false);
  });

  it('salts every hash and refuses malformed ones', async () => {
    expect(await hashPassword('same', params)).not.toBe(await hashPassword('same', params));
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
  });
});
