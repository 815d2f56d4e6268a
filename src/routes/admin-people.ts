// Admin of people: add (with an invitation link to hand over), edit, roles, disable and enable, password-reset links.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { issueToken, pendingTokens } from '../db/queries/auth.ts';
import {
  addAssignment,
  countTrustAdmins,
  createPerson,
  describedAssignments,
  emailTaken,
  findAssignment,
  listPeople,
  removeAssignment,
  setDisabled,
  updatePerson,
} from '../db/queries/people.ts';
import { listSchools, listTeams } from '../db/queries/schools.ts';
import { findSchool, findTeam } from '../db/queries/schools.ts';
import { roleKinds, type RoleKind } from '../domain/access.ts';
import { rules } from '../domain/access.ts';
import { FormReader } from '../forms.ts';
import { formBody, idParams, personParams } from '../schemas.ts';

const roleLabels: Record<RoleKind, string> = {
  trust_admin: 'Trust admin',
  trust_leader: 'Trust leader',
  school_leader: 'School leader',
  team_leader: 'Team leader',
  team_member: 'Team member',
};

export default async function adminPeopleRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const access = { access: rules.trustAdmin };
  const invitationMs = app.config.invitationDays * 24 * 60 * 60 * 1000;
  const resetMs = app.config.resetHours * 60 * 60 * 1000;

  const allTeams = () => {
    const schools = listSchools(app.db);
    return [
      ...listTeams(app.db, null).map((t) => ({ id: t.id, label: `${t.name} (trust)` })),
      ...schools.flatMap((s) => listTeams(app.db, s.id).map((t) => ({ id: t.id, label: `${t.name} — ${s.name}` }))),
    ];
  };

  app.get(
    '/admin/people',
    { config: access, schema: { querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })) }) } },
    async (request, reply) => {
      const q = (request.query.q ?? '').trim();
      return reply.render({
        page: 'pages/admin-people',
        partial: 'partials/people-list',
        title: 'People',
        data: { people: listPeople(app.db, q), q },
      });
    },
  );

  const readPersonForm = (body: unknown, exceptId?: number) => {
    const form = new FormReader(body);
    const name = form.text('name', { label: 'Full name', required: true, max: 120 });
    const email = form.email('email');
    if (email && !form.errors.email && emailTaken(app.db, email, exceptId))
      form.fail('email', 'Someone already has this email address');
    return { form, input: { name, email } };
  };

  const showLink = (
    reply: FastifyReply,
    person: { id: number; name: string },
    purpose: 'invitation' | 'password_reset',
    token: string,
  ) =>
    reply.render({
      page: 'pages/admin-link',
      title: purpose === 'invitation' ? 'Invitation link' : 'Password reset link',
      data: {
        person,
        purpose,
        link: `${app.config.publicUrl}${purpose === 'invitation' ? '/invitations' : '/password-resets'}/${token}`,
        expiresIn: purpose === 'invitation' ? `${app.config.invitationDays} days` : `${app.config.resetHours} hours`,
      },
    });

  app.get('/admin/people/new', { config: access }, async (_request, reply) =>
    reply.render({ page: 'pages/admin-person-new', title: 'Add a person', data: { values: {}, errors: {} } }),
  );

  app.post(
    '/admin/people/new',
    { config: access, schema: { body: formBody('name', 'email') } },
    async (request, reply) => {
      const { form, input } = readPersonForm(request.body);
      if (!form.ok)
        return reply.render({
          page: 'pages/admin-person-new',
          status: 422,
          title: 'Add a person',
          data: { values: form.values, errors: form.errors },
        });
      const id = createPerson(app.db, request.person!.id, input);
      const token = issueToken(app.db, request.person!.id, id, 'invitation', invitationMs);
      return showLink(reply, { id, name: input.name }, 'invitation', token);
    },
  );

  const renderPerson = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    extra: Record<string, unknown> = {},
  ) => {
    const person = request.targetPerson!;
    return reply.render({
      page: 'pages/admin-person',
      status,
      title: person.name,
      data: {
        target: person,
        values: { name: person.name, email: person.email },
        errors: {},
        roles: describedAssignments(app.db, person.id),
        roleValues: {},
        roleErrors: {},
        roleKinds,
        roleLabels,
        schools: listSchools(app.db),
        teams: allTeams(),
        isSelf: person.id === request.person!.id,
        ...extra,
      },
    });
  };

  app.get('/admin/people/:personId', { config: access, schema: { params: personParams } }, async (request, reply) =>
    renderPerson(request, reply, 200),
  );

  app.post(
    '/admin/people/:personId',
    { config: access, schema: { params: personParams, body: formBody('name', 'email') } },
    async (request, reply) => {
      const person = request.targetPerson!;
      const { form, input } = readPersonForm(request.body, person.id);
      if (!form.ok) return renderPerson(request, reply, 422, { values: form.values, errors: form.errors });
      updatePerson(app.db, request.person!.id, person.id, input);
      request.session.flash = { kind: 'success', message: `${input.name} saved.` };
      return reply.redirectTo(`/admin/people/${person.id}`);
    },
  );

  app.post(
    '/admin/people/:personId/roles',
    { config: access, schema: { params: personParams, body: formBody('role', 'title', 'schoolId', 'teamId') } },
    async (request, reply) => {
      const person = request.targetPerson!;
      const form = new FormReader(request.body);
      const role = form.choice('role', 'Role', roleKinds);
      const title = form.text('title', { label: 'Job title', max: 80 });
      let schoolId: number | null = null;
      let teamId: number | null = null;
      if (role === 'school_leader') {
        schoolId = form.id('schoolId', 'School', 'Choose a school from the list');
        if (schoolId !== null && !findSchool(app.db, schoolId)) form.fail('schoolId', 'Choose a school from the list');
      } else if (role === 'team_leader' || role === 'team_member') {
        teamId = form.id('teamId', 'Team', 'Choose a team from the list');
        if (teamId !== null && !findTeam(app.db, teamId)) form.fail('teamId', 'Choose a team from the list');
      }
      if (
        form.ok &&
        addAssignment(app.db, request.person!.id, person.id, {
          role: role!,
          title: title || null,
          schoolId,
          teamId,
        }) === null
      ) {
        form.fail('role', `${person.name} already has a role there`);
      }
      if (!form.ok) return renderPerson(request, reply, 422, { roleValues: form.values, roleErrors: form.errors });
      request.session.flash = { kind: 'success', message: `Role added for ${person.name}.` };
      return reply.redirectTo(`/admin/people/${person.id}`);
    },
  );

  app.post(
    '/admin/people/:personId/roles/:assignmentId/delete',
    { config: access, schema: { params: idParams('personId', 'assignmentId'), body: formBody() } },
    async (request, reply) => {
      const person = request.targetPerson!;
      const assignment = findAssignment(app.db, Number(request.params.assignmentId));
      if (!assignment || assignment.personId !== person.id) return reply.callNotFound();
      if (assignment.role === 'trust_admin' && countTrustAdmins(app.db) <= 1) {
        return renderPerson(request, reply, 422, {
          roleErrors: { role: 'The trust must keep at least one active trust admin' },
        });
      }
      removeAssignment(app.db, request.person!.id, assignment.id);
      request.session.flash = { kind: 'success', message: `Role removed from ${person.name}.` };
      return reply.redirectTo(`/admin/people/${person.id}`);
    },
  );

  app.post(
    '/admin/people/:personId/disable',
    { config: access, schema: { params: personParams, body: formBody() } },
    async (request, reply) => {
      const person = request.targetPerson!;
      if (person.id === request.person!.id) {
        return renderPerson(request, reply, 422, {
          statusError: 'You cannot disable your own account. Ask another trust admin.',
        });
      }
      setDisabled(app.db, request.person!.id, person.id, true);
      request.session.flash = { kind: 'success', message: `${person.name} is disabled and signed out everywhere.` };
      return reply.redirectTo(`/admin/people/${person.id}`);
    },
  );

  app.post(
    '/admin/people/:personId/enable',
    { config: access, schema: { params: personParams, body: formBody() } },
    async (request, reply) => {
      const person = request.targetPerson!;
      setDisabled(app.db, request.person!.id, person.id, false);
      request.session.flash = { kind: 'success', message: `${person.name} can sign in again.` };
      return reply.redirectTo(`/admin/people/${person.id}`);
    },
  );

  app.post(
    '/admin/people/:personId/link',
    { config: access, schema: { params: personParams, body: formBody() } },
    async (request, reply) => {
      const person = request.targetPerson!;
      if (person.disabledAt !== null)
        return renderPerson(request, reply, 422, { statusError: 'Enable this person before making a sign-in link.' });
      const purpose = person.passwordHash === null ? 'invitation' : 'password_reset';
      const token = issueToken(
        app.db,
        request.person!.id,
        person.id,
        purpose,
        purpose === 'invitation' ? invitationMs : resetMs,
      );
      return showLink(reply, person, purpose, token);
    },
  );

  app.get('/admin/invitations', { config: access }, async (_request, reply) =>
    reply.render({
      page: 'pages/admin-invitations',
      title: 'Invitations and reset links',
      data: { tokens: pendingTokens(app.db) },
    }),
  );
}
