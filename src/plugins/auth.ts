// Who is asking, and may they: loads the signed-in person, resolves what a route is about, and applies its declared access rule.
import fp from 'fastify-plugin';
import type { Db } from '../db/connection.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, Target } from '../domain/access.ts';
import { academicYearSoFar } from '../db/queries/calendar.ts';
import { teamsCommittedIn } from '../db/queries/commitment-history.ts';
import { findDisplay } from '../db/queries/displays.ts';
import { assignmentsOf, findPerson } from '../db/queries/people.ts';
import { findSchool, findTeam, listTeamsByIds } from '../db/queries/schools.ts';
import { findWig } from '../db/queries/wigs.ts';
import { findLeadMeasure } from '../db/queries/measures.ts';
import { findPathRequest } from '../db/queries/wig-sessions.ts';
import { weekStart, type IsoDate } from '../domain/calendar.ts';
import { HttpProblem } from '../errors.ts';
import { readId } from '../schemas.ts';

const STATIC_PREFIX = '/assets/';

/** A path id exactly as the route's schema takes it (no spaces: a path never has them). */
const idParam = (value: unknown): number | null =>
  typeof value === 'string' && value.trim() === value ? readId(value) : null;

/** The teams a person is in now, and those they made commitments in this academic year: whose leaders may read their commitments. */
function personTeams(db: Db, personId: number, today: IsoDate) {
  const current = listTeamsByIds(
    db,
    assignmentsOf(db, personId).flatMap((a) => (a.teamId === null ? [] : [a.teamId])),
  );
  const committedIn = teamsCommittedIn(db, personId, weekStart(academicYearSoFar(db, today).start));
  return [...current.map((t) => ({ id: t.id, schoolId: t.schoolId })), ...committedIn];
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
    app.decorateRequest('pathRequest', null);
    app.decorateRequest('display', null);

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
          request.principal = {
            personId: person.id,
            assignments: assignmentsOf(app.db, person.id),
          } satisfies Principal;
        }
      }

      // Routes without a rule are only the not-found handler: it still shows the person their navigation.
      const rule = request.routeOptions.config.access;
      if (!rule) return;
      if (rule.signedIn && !request.principal) {
        if (request.method === 'GET' || request.method === 'HEAD') {
          return reply.redirectTo(`/login?next=${encodeURIComponent(request.url)}`);
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
      // A school team's page names its school: loaded here once, with the team.
      if (request.team && request.team.schoolId !== null && request.school === null)
        request.school = findSchool(app.db, request.team.schoolId);
      let person: Target['person'];
      if ('personId' in params) {
        const id = idParam(params.personId);
        request.targetPerson = id === null ? null : findPerson(app.db, id);
        if (!request.targetPerson) throw new HttpProblem(404, 'There is no such person.');
        // Read only if the route's rule asks (a person's commitments history does; admin pages do not).
        const personId = request.targetPerson.id;
        let teams: ReturnType<typeof personTeams> | undefined;
        person = {
          id: personId,
          get teams() {
            return (teams ??= personTeams(app.db, personId, app.today()));
          },
        };
      }
      // A request for help is judged by whom it was given to.
      if ('pathRequestId' in params) {
        const id = idParam(params.pathRequestId);
        request.pathRequest = id === null ? null : findPathRequest(app.db, id);
        if (!request.pathRequest) throw new HttpProblem(404, 'There is no such request for help.');
      }
      // A display that has been revoked is gone: there is nothing left to do with it.
      if ('displayId' in params) {
        const id = idParam(params.displayId);
        request.display = id === null ? null : findDisplay(app.db, id);
        if (!request.display || request.display.revokedAt !== null)
          throw new HttpProblem(404, 'There is no such display.');
      }
      const target: Target = {
        schoolId: request.school?.id ?? request.team?.schoolId ?? null,
        ...(request.team ? { team: { id: request.team.id, schoolId: request.team.schoolId } } : {}),
        ...(request.wig
          ? { wig: { level: request.wig.level, schoolId: request.wig.schoolId, teamId: request.wig.teamId } }
          : {}),
        ...(request.pathRequest ? { pathRequest: { assigneeId: request.pathRequest.assigneeId } } : {}),
        ...(person ? { person } : {}),
        ...(request.display ? { display: { pairedBy: request.display.pairedBy } } : {}),
      };
      if (!rule.allows(request.principal, target)) {
        const said = request.principal ? rule.refusal?.(request.principal, target) : null;
        throw new HttpProblem(403, said ?? 'Your role does not give you access to this page.');
      }
    });
  },
  { name: 'auth', dependencies: ['sign-in-sessions', 'database', 'views'] },
);
