// Sign in, sign out, and the first-run page that makes the first trust admin of an empty database.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { decoyHash, hashPassword, PASSWORD_MIN_LENGTH, verifyPassword } from '../auth/password.ts';
import { isTimeZone } from '../config.ts';
import { countPeople, findPersonByEmail } from '../db/queries/people.ts';
import { setUpTrust } from '../db/queries/trust.ts';
import { rules } from '../domain/access.ts';
import { FormReader } from '../forms.ts';
import { formBody } from '../schemas.ts';

/** Only a path on this site: never an absolute or protocol-relative URL (no open redirect), and only printable ASCII (a Location header refuses anything else). */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/';
}

export default async function authRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const windowMs = app.config.loginWindowMinutes * 60 * 1000;
  // Failed attempts per account, whatever the IP: stops password guessing spread over many addresses.
  const accountLimiter = app.createRateLimit({
    max: app.config.loginMaxPerAccount,
    timeWindow: windowMs,
    keyGenerator: (request) =>
      `account:${String((request.body as { email?: unknown } | undefined)?.email ?? '')
        .trim()
        .toLowerCase()}`,
  });

  const renderLogin = (
    reply: FastifyReply,
    status: number,
    values: Record<string, string>,
    errors: Record<string, string>,
    next: string,
  ) =>
    reply.render({
      page: 'pages/login',
      partial: 'partials/login-form',
      status,
      title: 'Sign in',
      data: { values, errors, next },
    });

  app.get(
    '/login',
    { config: { access: rules.public }, schema: { querystring: Type.Object({ next: Type.Optional(Type.String()) }) } },
    async (request, reply) => {
      if (countPeople(app.db) === 0) return reply.redirect('/setup', 303);
      if (request.person) return reply.redirect(safeNext(request.query.next), 303);
      return renderLogin(reply, 200, {}, {}, safeNext(request.query.next));
    },
  );

  app.post(
    '/login',
    {
      config: { access: rules.public, rateLimit: { max: app.config.loginMaxPerIp, timeWindow: windowMs } },
      schema: { body: formBody('email', 'password', 'next') },
    },
    async (request, reply) => {
      const form = new FormReader(request.body);
      const email = form.text('email', { label: 'Email address', required: true, max: 254 }).toLowerCase();
      const password = form.raw('password');
      if (!password) form.fail('password', 'Enter your password');
      const next = safeNext(form.raw('next'));
      const values = { email: form.values.email ?? '' };
      if (!form.ok) return renderLogin(reply, 422, values, form.errors, next);

      // A secure session cookie is never set over plain http: say so instead of failing silently.
      if (app.config.secureCookies && request.protocol !== 'https') {
        request.log.warn(
          'sign-in over plain http with SECURE_COOKIES on: set TRUST_PROXY behind a TLS proxy, or SECURE_COOKIES=false for local use',
        );
        return renderLogin(
          reply,
          400,
          values,
          {
            email:
              'Sign-in needs a secure (https) connection to this server. Ask your trust admin: behind a proxy, the server needs TRUST_PROXY set.',
          },
          next,
        );
      }
      const limit = await accountLimiter(request, { increment: false });
      if (!limit.isAllowed && limit.remaining === 0) {
        return renderLogin(
          reply,
          429,
          values,
          {
            email: `Too many failed attempts for this account. Try again in ${app.config.loginWindowMinutes} minutes, or ask your trust admin for a new password link.`,
          },
          next,
        );
      }
      const person = findPersonByEmail(app.db, email);
      const usable = person?.passwordHash && person.disabledAt === null;
      const matches = await verifyPassword(
        password.slice(0, 1024),
        usable ? person.passwordHash! : await decoyHash(app.config.scrypt),
      );
      if (!usable || !matches) {
        await accountLimiter(request);
        request.log.info({ event: 'login_failed' }, 'sign-in refused');
        return renderLogin(reply, 401, values, { password: 'The email address or password is not right' }, next);
      }
      await request.signIn(person.id, 'password');
      return reply.redirectTo(next);
    },
  );

  app.post('/logout', { config: { access: rules.public }, schema: { body: formBody() } }, async (request, reply) => {
    if (request.session) await request.session.destroy();
    return reply.redirectTo('/login');
  });

  app.get('/setup', { config: { access: rules.public } }, async (_request, reply) => {
    if (countPeople(app.db) > 0) return reply.callNotFound();
    return reply.render({
      page: 'pages/setup',
      title: 'Set up wigboard',
      data: { values: { timeZone: app.config.trustTimeZone }, errors: {} },
    });
  });

  app.post(
    '/setup',
    {
      config: { access: rules.public, rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: { body: formBody('trustName', 'timeZone', 'name', 'email', 'password') },
    },
    async (request, reply) => {
      if (countPeople(app.db) > 0) return reply.callNotFound();
      const form = new FormReader(request.body);
      const trustName = form.text('trustName', { label: 'Trust name', required: true, max: 120 });
      const timeZone = form.text('timeZone', { label: 'Time zone', required: true, max: 64 });
      if (timeZone && !form.errors.timeZone && !isTimeZone(timeZone))
        form.fail('timeZone', 'Enter a time zone like Europe/London');
      const name = form.text('name', { label: 'Your name', required: true, max: 120 });
      const email = form.email('email');
      const password = form.text('password', { label: 'Password', required: true, min: PASSWORD_MIN_LENGTH, max: 200 });
      const values = { ...form.values, password: '' };
      if (!form.ok)
        return reply.render({
          page: 'pages/setup',
          status: 422,
          title: 'Set up wigboard',
          data: { values, errors: form.errors },
        });
      const passwordHash = await hashPassword(password, app.config.scrypt);
      const personId = setUpTrust(app.db, { trustName, timeZone, name, email, passwordHash });
      if (personId === null) return reply.callNotFound();
      await request.signIn(personId, 'setup');
      request.session.flash = {
        kind: 'success',
        message: `Welcome. ${trustName} is set up and you are its trust admin.`,
      };
      return reply.redirectTo('/admin');
    },
  );
}
