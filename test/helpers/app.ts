// Test harness: the real app on a temporary SQLite file with the real migrations, plus a cookie-keeping client for app.inject.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOptions } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { pinnedClock } from './clock.ts';

export const TEST_PASSWORD = 'correct horse battery';

export function tempDir(prefix = 'wigboard-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Cheap scrypt and a temp database file: the rest is the production configuration. */
export function testConfig(dir: string, env: Record<string, string> = {}): Readonly<Config> {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_PATH: path.join(dir, 'test.sqlite'),
    SCRYPT_N: '1024',
    LOG_LEVEL: 'silent',
    ...env,
  });
}

export interface TestApp {
  app: FastifyInstance;
  config: Readonly<Config>;
  dir: string;
  close(): Promise<void>;
}

export async function createTestApp(env: Record<string, string> = {}, options: AppOptions = {}): Promise<TestApp> {
  const dir = tempDir();
  const config = testConfig(dir, env);
  // The app's clock reads the suite's pinned day unless a test sets its own: no result depends on the machine's date.
  const app = await buildApp(config, { now: pinnedClock, ...options });
  await app.ready();
  return {
    app,
    config,
    dir,
    async close() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

type Form = Record<string, string | number>;

/** A browser-like client over app.inject: keeps cookies, reads the CSRF token from pages, sends forms. */
export class Client {
  readonly cookies = new Map<string, string>();
  csrfToken: string | null = null;

  constructor(readonly app: FastifyInstance) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of response.cookies) {
      if (c.value === '' || (c.expires && new Date(c.expires).getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrfToken = token;
    return response;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(
      await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } }),
    );
  }

  /** Fetches a page first when no CSRF token is known yet (the way a browser has the form before posting). */
  async token(): Promise<string> {
    if (!this.csrfToken) await this.get(this.cookies.has('wigboard_session') ? '/' : '/login');
    if (!this.csrfToken) throw new Error('no CSRF token found on the page');
    return this.csrfToken;
  }

  async post(
    url: string,
    form: Form = {},
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    if (options.csrf !== false) body.set('_csrf', await this.token());
    for (const [k, v] of Object.entries(form)) body.set(k, String(v));
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        payload: body.toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: this.cookieHeader(),
          ...options.headers,
        },
      }),
    );
  }

  async login(email: string, password = TEST_PASSWORD): Promise<LightMyRequestResponse> {
    const response = await this.post('/login', { email, password });
    this.csrfToken = null;
    return response;
  }
}

/** A client already signed in as `email`; fails loudly when sign-in does not succeed. */
export async function signedIn(app: FastifyInstance, email: string): Promise<Client> {
  const client = new Client(app);
  const response = await client.login(email);
  if (response.statusCode !== 303) throw new Error(`sign-in as ${email} failed with ${response.statusCode}`);
  return client;
}
