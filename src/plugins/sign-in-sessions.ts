// Server-side sign-in sessions (@fastify/session) kept in SQLite, so signing out or disabling a person ends them at once.
import cookie from '@fastify/cookie';
import session from '@fastify/session';
import fp from 'fastify-plugin';
import type { FastifyRequest, Session } from 'fastify';
import type { Db } from '../db/connection.ts';
import { deleteSignInSession, getSignInSession, putSignInSession } from '../db/queries/auth.ts';
import { ensureSecret } from '../db/queries/trust.ts';

type Callback = (err?: unknown) => void;

/** How a person proved who they are. */
export type SignInWay = 'password' | 'invitation' | 'password_reset' | 'setup';

/** The @fastify/session store interface over the web_sessions table. */
class SqliteSignInSessionStore {
  constructor(
    private readonly db: Db,
    private readonly maxAgeMs: number,
  ) {}

  set(id: string, value: Session, callback: Callback): void {
    try {
      const expires = value.cookie?.expires ? new Date(value.cookie.expires).getTime() : Date.now() + this.maxAgeMs;
      putSignInSession(this.db, id, value.personId ?? null, JSON.stringify(value), expires);
      callback();
    } catch (err) {
      callback(err);
    }
  }

  get(id: string, callback: (err: unknown, result?: Session | null) => void): void {
    try {
      const row = getSignInSession(this.db, id);
      callback(null, row ? (JSON.parse(row.data) as Session) : null);
    } catch (err) {
      callback(err);
    }
  }

  destroy(id: string, callback: Callback): void {
    try {
      deleteSignInSession(this.db, id);
      callback();
    } catch (err) {
      callback(err);
    }
  }
}

export default fp(
  async (app) => {
    const secret = app.config.sessionSecret ?? ensureSecret(app.db, 'cookie_secret');
    const maxAge = app.config.sessionDays * 24 * 60 * 60 * 1000;
    await app.register(cookie, { secret });
    await app.register(session, {
      secret,
      cookieName: 'wigboard_session',
      store: new SqliteSignInSessionStore(app.db, maxAge),
      saveUninitialized: false,
      // Not rolling: a signed-in request reads its session but writes nothing.
      rolling: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: app.config.secureCookies, path: '/', maxAge },
    });
    // Every way in (a password, an invitation or reset link, the first-run page) signs in here: a new session id, so
    // a session fixed before sign-in is never promoted, then the person.
    app.decorateRequest('signIn', async function (this: FastifyRequest, personId: number, via: SignInWay) {
      await this.session.regenerate();
      this.session.personId = personId;
      this.log.info({ event: 'login', personId, via }, 'signed in');
    });
  },
  { name: 'sign-in-sessions', dependencies: ['database'] },
);
