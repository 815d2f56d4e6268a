// Server-rendered HTML: eta through @fastify/view, one helper that answers htmx with the partial and everyone else with the page.
import path from 'node:path';
import view from '@fastify/view';
import { Eta } from 'eta';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { rootDir } from '../config.ts';
import { ledSchoolIds, rules, type Principal } from '../domain/access.ts';
import { formatDate, formatDateTime } from '../domain/dates.ts';
import type { RenderOptions } from '../types.js';

interface NavItem {
  href: string;
  label: string;
}

/** The navigation a person sees: only what their roles let them reach. */
function navigationFor(principal: Principal | null): NavItem[] {
  if (!principal) return [];
  const items: NavItem[] = [{ href: '/', label: 'Home' }];
  // Each link is shown by the rule of the page it opens.
  if (rules.readTrust.allows(principal, {})) items.push({ href: '/trust', label: 'Trust' });
  if (rules.readTrust.allows(principal, {})) items.push({ href: '/schools', label: 'Schools' });
  else for (const id of ledSchoolIds(principal)) items.push({ href: `/schools/${id}`, label: 'My school' });
  if (rules.manageAnySchool.allows(principal, {})) items.push({ href: '/admin', label: 'Admin' });
  if (rules.pairDisplays.allows(principal, {})) items.push({ href: '/displays', label: 'Wall displays' });
  return items;
}

function isFragmentRequest(request: FastifyRequest): boolean {
  return request.headers['hx-request'] === 'true' && request.headers['hx-request-type'] === 'partial';
}

/** Post → redirect (303) → get; an htmx request is told to navigate instead (HX-Redirect), as a 303 would only be swapped in. */
function redirectTo(request: FastifyRequest, reply: FastifyReply, location: string): FastifyReply {
  if (request.headers['hx-request'] === 'true') return reply.header('HX-Redirect', location).code(204).send();
  return reply.redirect(location, 303);
}

export default fp(
  async (app) => {
    const production = app.config.env === 'production';
    await app.register(view, {
      engine: {
        eta: new Eta({ views: path.join(rootDir, 'views'), cache: production, autoEscape: true, autoTrim: false }),
      },
      root: path.join(rootDir, 'views'),
      production,
      viewExt: 'eta',
    });

    app.decorateReply('isFragmentRequest', function (this: FastifyReply) {
      return isFragmentRequest(this.request);
    });

    app.decorateReply('redirectTo', function (this: FastifyReply, location: string) {
      return redirectTo(this.request, this, location);
    });

    app.decorateReply('render', async function (this: FastifyReply, options: RenderOptions) {
      const request = this.request;
      const fragment = options.partial !== undefined && isFragmentRequest(request);
      let flash = null;
      if (!fragment && request.session?.flash) {
        flash = request.session.flash;
        delete request.session.flash;
      }
      const trust = app.trust();
      const locals = {
        title: options.title,
        trustName: trust.name,
        person: request.person,
        nav: navigationFor(request.principal),
        path: request.url.split('?')[0],
        csrfToken: this.generateCsrf(),
        flash,
        formatDate,
        formatDateTime,
        timeZone: trust.timeZone,
        ...options.data,
      };
      this.header('Vary', 'HX-Request');
      this.header('Cache-Control', 'no-store');
      if (options.status) this.code(options.status);
      const html = await this.viewAsync(fragment ? (options.partial as string) : options.page, locals);
      return this.type('text/html; charset=utf-8').send(html);
    });
  },
  { name: 'views', dependencies: ['database', 'security'] },
);
