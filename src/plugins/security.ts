// Security headers (helmet, strict CSP), form bodies, CSRF on every state-changing request, and rate limits.
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import helmet from 'helmet';
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export default fp(
  async (app) => {
    // helmet's middleware is built once here and run on every request (@fastify/helmet rebuilt it, CSP and all, per request).
    const secureHeaders = helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          baseUri: ["'none'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          upgradeInsecureRequests: app.config.secureCookies ? [] : null,
        },
      },
      // The wall display and phones load nothing cross-origin; keep the defaults strict.
      crossOriginEmbedderPolicy: false,
      strictTransportSecurity: app.config.secureCookies,
      referrerPolicy: { policy: 'same-origin' },
      frameguard: { action: 'deny' },
    });
    app.addHook('onRequest', (request, reply, done) => {
      secureHeaders(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined));
    });
    await app.register(formbody, { bodyLimit: 256 * 1024 });
    // File uploads (bank holidays, CSV imports): small, one file, fields as plain values so the CSRF check reads them.
    await app.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: 1024 * 1024, files: 1, fields: 20 },
    });
    // Double-submit: the secret lives in a signed, httpOnly cookie; the token travels in the form (_csrf) or, from htmx, in a header.
    await app.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: 'wigboard_csrf',
      cookieOpts: { signed: true, httpOnly: true, sameSite: 'strict', path: '/', secure: app.config.secureCookies },
      getToken: (request: FastifyRequest) =>
        ((request.body as Record<string, unknown> | undefined)?._csrf as string | undefined) ??
        (request.headers['x-csrf-token'] as string | undefined),
    });
    // preHandler: the body is parsed by then, so the form's hidden field can be read.
    app.addHook('preHandler', (request, reply, done) => {
      if (SAFE_METHODS.has(request.method) || request.routeOptions.config.csrf === false) return done();
      app.csrfProtection(request, reply, done);
    });
    await app.register(rateLimit, { global: false });
  },
  { name: 'security', dependencies: ['sign-in-sessions'] },
);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set false only for routes that change nothing a browser session could be tricked into (none yet). */
    csrf?: boolean;
  }
}
