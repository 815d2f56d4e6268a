// Who is asking, and may they: loads the signed-in person, resolves what a route is about, and applies its declared access rule.
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../domain/access.ts';
import { assignmentsOf, findPerson } from '../db/queries/people.ts';
import { findSchool, findTeam } from '../db/queries/schools.ts';
import { findWig } from '../db/queries/wigs.ts';
import { findLeadMeasure } from '../db/queries/measures.ts';
import { findPathRequest } from '../db/queries/sessions.ts';

const STATIC_PREFIX = '/assets/';

function idParam(value: unknown): number | null {
  return typeof value === 'string' && /^[1-9]\d{0,9}$/.test(value) ? Number(value) : null;
}

export class HttpProblem extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export default fp(
  async (app) => {
    app.decorateRequest('person', null);
    app.decorateRequest('principal', null);
    app.decorateRequest('school', null);
    app.decorateRequest('team', null);
    app.decorateRequest('targetPerson', null);
    app.decorateRequest('wig', null);
    app.decorateRequest('measure', null);

    // Fail closed: a route that declares no access rule stops the boot.
    app.addHook('onRoute', (route) => {
      if (route.config?.access) return;
      if (route.url.startsWith(STATIC_PREFIX)) {
        route.config = { ...route.config, access: { name: 'public', signedIn: false, allows: () => true } };
        return;
      }
      throw new Error(`Route ${String(route.method)} ${route.url} declares no access rule`);
    });

    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.url.startsWith(STATIC_PREFIX)) return;

      const personId = request.session?.personId;
      if (personId !== undefined) {
        const person = findPerson(app.db, personId);
        if (!person || person.disabledAt !== null) {
          await request.session.destroy();
        } else {
          request.person = person;
          request.principal = { personId: person.id, assignments: assignmentsOf(app.db, person.id) } satisfies Principal;
        }
      }

      // Routes without a rule are only the not-found handler: it still shows the person their navigation.
      const rule = request.routeOptions.config.access;
      if (!rule) return;
      if (rule.signedIn && !request.principal) {
        if (request.method === 'GET' || request.method === 'HEAD') {
          const next = encodeURIComponent(request.url);
          const location = `/login?next=${next}`;
          if (request.headers['hx-request'] === 'true') return reply.header('HX-Redirect', location).code(204).send();
          return reply.redirect(location, 303);
        }
        throw new HttpProblem(401, 'Please sign in again: your session has ended.');
      }

      const params = (request.params ?? {}) as Record<string, unknown>;
      if ('schoolId' in params) {
        const id = idParam(params.schoolId);
        request.school = id === null ? null : findSchool(app.db, id);
        if (!request.school) throw new HttpProblem(404, 'There is no such school.');
      }
      // A lead measure belongs to a WIG, and a WIG to a team, school or the trust: resolve upwards.
      let wigId: number | null = null;
      if ('measureId' in params) {
        const id = idParam(params.measureId);
        request.measure = id === null ? null : findLeadMeasure(app.db, id);
        if (!request.measure) throw new HttpProblem(404, 'There is no such lead measure.');
        wigId = request.measure.wigId;
      }
      if ('wigId' in params) {
        wigId = idParam(params.wigId);
        if (wigId === null) throw new HttpProblem(404, 'There is no such WIG.');
      }
      if (wigId !== null) {
        request.wig = findWig(app.db, wigId);
        if (!request.wig) throw new HttpProblem(404, 'There is no such WIG.');
        if (request.wig.teamId !== null) request.team = findTeam(app.db, request.wig.teamId);
        if (request.wig.schoolId !== null) request.school = findSchool(app.db, request.wig.schoolId);
      }
      if ('teamId' in params) {
        const id = idParam(params.teamId);
        request.team = id === null ? null : findTeam(app.db, id);
        if (!request.team) throw new HttpProblem(404, 'There is no such team.');
      }
      if ('personId' in params) {
        const id = idParam(params.personId);
        request.targetPerson = id === null ? null : findPerson(app.db, id);
        if (!request.targetPerson) throw new HttpProblem(404, 'There is no such person.');
      }
      // A request for help is judged by whom it was given to (the route loads it again to resolve it).
      let pathRequest: { assigneeId: number } | null = null;
      if ('pathRequestId' in params) {
        const id = idParam(params.pathRequestId);
        pathRequest = id === null ? null : findPathRequest(app.db, id);
        if (!pathRequest) throw new HttpProblem(404, 'There is no such request for help.');
      }
      const target = {
        schoolId: request.school?.id ?? request.team?.schoolId ?? null,
        ...(request.team ? { team: { id: request.team.id, schoolId: request.team.schoolId } } : {}),
        ...(request.wig ? { wig: { level: request.wig.level, schoolId: request.wig.schoolId, teamId: request.wig.teamId } } : {}),
        ...(pathRequest ? { pathRequest: { assigneeId: pathRequest.assigneeId } } : {}),
      };
      if (!rule.allows(request.principal, target)) throw new HttpProblem(403, 'Your role does not give you access to this page.');
    });
  },
  { name: 'auth', dependencies: ['sessions', 'database'] },
);
