// The only reader of process.env: every setting validated once at boot, typed and frozen.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export interface Config {
  readonly env: 'production' | 'development' | 'test';
  readonly host: string;
  readonly port: number;
  readonly databasePath: string;
  readonly publicUrl: string;
  readonly sessionSecret: string | null;
  readonly sessionDays: number;
  readonly secureCookies: boolean;
  /** Fastify's trustProxy: false, true, or the proxy addresses whose X-Forwarded-* headers are believed. */
  readonly trustProxy: boolean | string[];
  readonly scrypt: Readonly<ScryptParams>;
  readonly loginMaxPerIp: number;
  readonly loginMaxPerAccount: number;
  readonly loginWindowMinutes: number;
  readonly invitationDays: number;
  readonly resetHours: number;
  readonly logLevel: string;
  readonly trustTimeZone: string;
  /** Cadence reminders: the node-cron tick and the dispatcher run in the server process when on. */
  readonly reminders: boolean;
  /** Outgoing mail; null = no SMTP configured, so messages stay in the outbox page. */
  readonly smtp: Readonly<SmtpConfig> | null;
  /** How far back a start-up catch-up looks for reminders that fell due while the server was down. */
  readonly reminderCatchUpHours: number;
  readonly reminderMaxAttempts: number;
}

export interface SmtpConfig {
  /** An smtp:// or smtps:// URL (with user and password in it if needed), or null when host/port are given. */
  url: string | null;
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  pass: string | null;
  from: string;
  connectionTimeoutMs: number;
  greetingTimeoutMs: number;
  socketTimeoutMs: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function intSetting(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${key} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${key} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function boolSetting(env: Env, key: string, fallback: boolean): boolean {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${key} must be true or false, got "${raw}"`);
}

/** TRUST_PROXY: "true", "false" (default), or a comma-separated list of proxy addresses or CIDR ranges. */
function proxySetting(raw: string | undefined): boolean | string[] {
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!list.every((a) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(a))) {
    throw new ConfigError(
      `TRUST_PROXY must be true, false, or proxy addresses like 127.0.0.1,10.0.0.0/8, got "${raw}"`,
    );
  }
  return list;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** SMTP_URL, or SMTP_HOST with SMTP_PORT/SMTP_SECURE/SMTP_USER/SMTP_PASS; SMTP_FROM and the timeouts apply to both. */
function smtpSetting(env: Env): SmtpConfig | null {
  const url = env.SMTP_URL || null;
  const host = env.SMTP_HOST || '';
  if (!url && !host) return null;
  if (url && !/^smtps?:\/\/[^\s]+$/.test(url)) throw new ConfigError('SMTP_URL must start with smtp:// or smtps://');
  const from = env.SMTP_FROM || 'wigboard <reminders@localhost>';
  if (/[\r\n]/.test(from)) throw new ConfigError('SMTP_FROM must be one line');
  const secure = boolSetting(env, 'SMTP_SECURE', false);
  return {
    url,
    host,
    port: intSetting(env, 'SMTP_PORT', secure ? 465 : 587, 1, 65535),
    secure,
    user: env.SMTP_USER || null,
    pass: env.SMTP_PASS || null,
    from,
    connectionTimeoutMs: intSetting(env, 'SMTP_CONNECTION_TIMEOUT_MS', 10_000, 100, 600_000),
    greetingTimeoutMs: intSetting(env, 'SMTP_GREETING_TIMEOUT_MS', 10_000, 100, 600_000),
    socketTimeoutMs: intSetting(env, 'SMTP_SOCKET_TIMEOUT_MS', 30_000, 100, 600_000),
  };
}

function onOffSetting(env: Env, key: string, fallback: boolean): boolean {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'on') return true;
  if (raw === 'off') return false;
  throw new ConfigError(`${key} must be on or off, got "${raw}"`);
}

/** Reads and validates the configuration; throws ConfigError with one clear line on a bad value. */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Readonly<Config> {
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (nodeEnv !== 'production' && nodeEnv !== 'development' && nodeEnv !== 'test') {
    throw new ConfigError(`NODE_ENV must be production, development or test, got "${nodeEnv}"`);
  }
  const port = intSetting(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const sessionSecret = env.SESSION_SECRET || null;
  if (sessionSecret !== null && sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET must be at least 32 characters long');
  }
  const scryptN = intSetting(env, 'SCRYPT_N', 131072, 1024, 1048576);
  if ((scryptN & (scryptN - 1)) !== 0) throw new ConfigError(`SCRYPT_N must be a power of two, got ${scryptN}`);
  const trustTimeZone = env.TRUST_TIME_ZONE || 'Europe/London';
  if (!isTimeZone(trustTimeZone)) throw new ConfigError(`TRUST_TIME_ZONE is not a known time zone: "${trustTimeZone}"`);
  const databasePath = path.resolve(rootDir, env.DATABASE_PATH || 'db/wigboard.sqlite');
  const config: Config = {
    env: nodeEnv,
    host,
    port,
    databasePath,
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    sessionSecret,
    sessionDays: intSetting(env, 'SESSION_DAYS', 30, 1, 365),
    secureCookies: boolSetting(env, 'SECURE_COOKIES', nodeEnv === 'production'),
    trustProxy: proxySetting(env.TRUST_PROXY),
    scrypt: Object.freeze({
      N: scryptN,
      r: intSetting(env, 'SCRYPT_R', 8, 1, 32),
      p: intSetting(env, 'SCRYPT_P', 1, 1, 16),
    }),
    loginMaxPerIp: intSetting(env, 'LOGIN_MAX_PER_IP', 30, 1, 100000),
    loginMaxPerAccount: intSetting(env, 'LOGIN_MAX_PER_ACCOUNT', 5, 1, 1000),
    loginWindowMinutes: intSetting(env, 'LOGIN_WINDOW_MINUTES', 15, 1, 1440),
    invitationDays: intSetting(env, 'INVITATION_DAYS', 7, 1, 90),
    resetHours: intSetting(env, 'RESET_HOURS', 24, 1, 168),
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    trustTimeZone,
    reminders: onOffSetting(env, 'REMINDERS', true),
    smtp: smtpSetting(env),
    reminderCatchUpHours: intSetting(env, 'REMINDER_CATCH_UP_HOURS', 72, 0, 24 * 14),
    reminderMaxAttempts: intSetting(env, 'REMINDER_MAX_ATTEMPTS', 8, 1, 100),
    ...overrides,
  };
  return Object.freeze(config);
}
