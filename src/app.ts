// Builds the wigboard Fastify app from a configuration: plugins in a fixed order, then routes. Never listens.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { rootDir, type Config } from './config.ts';
import { localDate } from './domain/calendar.ts';
import database from './plugins/database.ts';
import signInSessions from './plugins/sign-in-sessions.ts';
import security from './plugins/security.ts';
import auth from './plugins/auth.ts';
import { HttpProblem } from './errors.ts';
import views from './plugins/views.ts';
import boards from './plugins/boards.ts';
import healthRoutes from './routes/health.ts';
import authRoutes from './routes/auth.ts';
import homeRoutes from './routes/home.ts';
import schoolRoutes from './routes/schools.ts';
import adminRoutes from './routes/admin.ts';
import adminPeopleRoutes from './routes/admin-people.ts';
import tokenRoutes from './routes/tokens.ts';
import adminCalendarRoutes from './routes/admin-calendar.ts';
import wigRoutes from './routes/wigs.ts';
import weekRoutes from './routes/week.ts';
import csvRoutes from './routes/csv.ts';
import scoreboardRoutes from './routes/scoreboard.ts';
import displayRoutes from './routes/display.ts';
import wigSessionRoutes from './routes/wig-sessions.ts';
import executionRoutes from './routes/execution.ts';
import calendarFeedRoutes from './routes/calendar-feeds.ts';
import reminderRoutes from './routes/reminders.ts';
import overviewRoutes from './routes/overview.ts';

const MESSAGES: Record<number, { title: string; message: string }> = {
  400: {
    title: 'That request could not be read',
    message: 'Something in what was sent was not right. Go back and try again.',
  },
  401: { title: 'Please sign in', message: 'Your session has ended. Sign in again to carry on.' },
  403: { title: 'You do not have access to this page', message: 'Your role does not give you access to this page.' },
  404: {
    title: 'Page not found',
    message: 'There is no page at this address. Check it, or go back to your home page.',
  },
  413: { title: 'That was too much to send', message: 'The form was larger than we accept. Shorten it and try again.' },
  429: { title: 'Too many attempts', message: 'Please wait a few minutes before trying again.' },
  500: {
    title: 'Something went wrong',
    message: 'Sorry — something went wrong on our side. It has been logged; please try again.',
  },
};

export interface AppOptions {
  /** The clock: tests pin "today" with it; everything else reads Date.now(). */
  now?: () => number;
}

export async function buildApp(config: Readonly<Config>, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    trustProxy: config.trustProxy,
    bodyLimit: 256 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('config', config);
  app.decorate('now', options.now ?? Date.now);
  // Today where the trust is: every "this week" and "today" in the app comes from here.
  app.decorate('today', () => localDate(app.now(), app.trust().timeZone));
  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });

  // Ecosystem and our infrastructure, in order.
  await app.register(database);
  await app.register(signInSessions);
  await app.register(security);
  await app.register(views);
  await app.register(auth);
  await app.register(boards);
  await app.register(fastifyStatic, {
    root: path.join(rootDir, 'views', 'assets'),
    prefix: '/assets/',
    maxAge: '1h',
    index: false,
  });
  await app.register(fastifyStatic, {
    root: path.join(rootDir, 'node_modules', 'htmx.org', 'dist'),
    prefix: '/assets/htmx/',
    decorateReply: false,
    maxAge: '1d',
    allowedPath: (pathName) => /^\/(htmx\.min\.js|ext\/[\w-]+\.min\.js)$/.test(pathName),
  });

  app.setErrorHandler(async (error: FastifyError | HttpProblem, request, reply) => {
    let status = error.statusCode ?? 500;
    // A malformed id or token in the path names nothing that exists: a 404, as an unknown id is.
    if ('validation' in error && error.validation) status = error.validationContext === 'params' ? 404 : 400;
    if (status < 400 || status > 599) status = 500;
    if (status >= 500) request.log.error({ err: error, reqId: request.id }, 'request failed');
    else request.log.info({ status, reason: error.message }, 'request refused');
    const known = MESSAGES[status] ?? MESSAGES[status >= 500 ? 500 : 400]!;
    // A stale or missing CSRF token is not a question of role: say what to do about it.
    const csrfFailed = 'code' in error && typeof error.code === 'string' && error.code.startsWith('FST_CSRF_');
    const message =
      error instanceof HttpProblem
        ? error.message
        : csrfFailed
          ? 'This form has expired. Go back, reload the page and try again.'
          : known.message;
    if (reply.sent) return;
    try {
      return await reply.render({
        page: 'pages/error',
        partial: 'partials/error-message',
        status,
        title: known.title,
        data: { status, heading: known.title, message, requestId: status >= 500 ? request.id : null },
      });
    } catch (renderError) {
      // The error page itself failed: a plain line, still no stack trace.
      request.log.error({ err: renderError }, 'error page failed');
      return reply.code(status).type('text/plain; charset=utf-8').send(`${known.title}. Reference: ${request.id}`);
    }
  });

  app.setNotFoundHandler(async (_request, reply) =>
    reply.render({
      page: 'pages/error',
      partial: 'partials/error-message',
      status: 404,
      title: MESSAGES[404]!.title,
      data: { status: 404, heading: MESSAGES[404]!.title, message: MESSAGES[404]!.message, requestId: null },
    }),
  );

  // Routes.
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(tokenRoutes);
  await app.register(homeRoutes);
  await app.register(schoolRoutes);
  await app.register(adminRoutes);
  await app.register(adminPeopleRoutes);
  await app.register(adminCalendarRoutes);
  await app.register(wigRoutes);
  await app.register(weekRoutes);
  await app.register(csvRoutes);
  await app.register(scoreboardRoutes);
  await app.register(displayRoutes);
  await app.register(wigSessionRoutes);
  await app.register(executionRoutes);
  await app.register(calendarFeedRoutes);
  await app.register(reminderRoutes);
  await app.register(overviewRoutes);

  return app;
}
