// Admin of the trust's structure: trust settings, schools, teams (with their WIG session slot) and who is in each team.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isTimeZone } from '../config.ts';
import { getTrustSettings, saveTrustSettings } from '../db/queries/trust.ts';
import {
  createSchool,
  createTeam,
  listSchools,
  listTeams,
  schoolNameTaken,
  teamNameTaken,
  updateSchool,
  updateTeam,
  type TeamInput,
} from '../db/queries/schools.ts';
import {
  addAssignment,
  findAssignment,
  findPerson,
  listActivePeople,
  removeAssignment,
  teamRoster,
} from '../db/queries/people.ts';
import { urnTaken } from '../db/queries/schools.ts';
import { isTrustAdmin, ledSchoolIds, rules } from '../domain/access.ts';
import { TIME_OF_DAY, weekdayName, weekdayNames } from '../domain/dates.ts';
import { FormReader } from '../forms.ts';
import { formBody, idParams, schoolParams, teamParams } from '../schemas.ts';

const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
const TEAM_ROLES = ['team_member', 'team_leader'] as const;

function readTeamForm(body: unknown) {
  const form = new FormReader(body);
  const name = form.text('name', { label: 'Team name', required: true, max: 120 });
  const weekday = form.choice('sessionWeekday', 'Session day', WEEKDAYS);
  const sessionTime = form.text('sessionTime', {
    label: 'Session time',
    required: true,
    max: 5,
    pattern: TIME_OF_DAY,
    patternMessage: 'Enter the session time as hours and minutes, like 08:15',
  });
  const minutes = form.integer('sessionMinutes', 'Session length in minutes', 10, 30);
  const input: TeamInput = { name, sessionWeekday: Number(weekday), sessionTime, sessionMinutes: minutes ?? 0 };
  return { form, input };
}

export default async function adminRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const setFlash = (request: FastifyRequest, message: string) => {
    request.session.flash = { kind: 'success', message };
  };

  app.get('/admin', { config: { access: rules.manageAnySchool } }, async (request, reply) => {
    const principal = request.principal!;
    const admin = isTrustAdmin(principal);
    return reply.render({
      page: 'pages/admin',
      title: 'Admin',
      data: {
        admin,
        schools: admin ? listSchools(app.db) : listSchools(app.db, ledSchoolIds(principal)),
        trustTeams: admin ? listTeams(app.db, null) : [],
        settings: getTrustSettings(app.db),
      },
    });
  });

  // Trust settings
  const renderSettings = (
    reply: FastifyReply,
    status: number,
    values: Record<string, string>,
    errors: Record<string, string>,
  ) => reply.render({ page: 'pages/admin-settings', status, title: 'Trust settings', data: { values, errors } });

  app.get('/admin/settings', { config: { access: rules.trustAdmin } }, async (_request, reply) => {
    const settings = app.trust();
    return renderSettings(reply, 200, { name: settings.name, timeZone: settings.timeZone }, {});
  });

  app.post(
    '/admin/settings',
    { config: { access: rules.trustAdmin }, schema: { body: formBody('name', 'timeZone') } },
    async (request, reply) => {
      const form = new FormReader(request.body);
      const name = form.text('name', { label: 'Trust name', required: true, max: 120 });
      const timeZone = form.text('timeZone', { label: 'Time zone', required: true, max: 64 });
      if (timeZone && !form.errors.timeZone && !isTimeZone(timeZone))
        form.fail('timeZone', 'Enter a time zone like Europe/London');
      if (!form.ok) return renderSettings(reply, 422, form.values, form.errors);
      saveTrustSettings(app.db, request.person!.id, { name, timeZone });
      setFlash(request, 'Trust settings saved.');
      return reply.redirectTo('/admin');
    },
  );

  // Schools
  const readSchoolForm = (body: unknown, exceptId?: number) => {
    const form = new FormReader(body);
    const name = form.text('name', { label: 'School name', required: true, max: 120 });
    const urn = form.text('urn', {
      label: 'URN',
      max: 6,
      pattern: /^\d{6}$/,
      patternMessage: 'A URN is six digits, like 123456',
    });
    if (name && !form.errors.name && schoolNameTaken(app.db, name, exceptId))
      form.fail('name', 'Another school already has this name');
    if (urn && !form.errors.urn && urnTaken(app.db, urn, exceptId))
      form.fail('urn', 'Another school already has this URN');
    return { form, input: { name, urn: urn || null } };
  };
  const renderSchoolForm = (reply: FastifyReply, status: number, data: Record<string, unknown>) =>
    reply.render({
      page: 'pages/admin-school-form',
      status,
      title: data.schoolId ? 'Edit school' : 'Add a school',
      data: { errors: {}, ...data },
    });

  app.get('/admin/schools/new', { config: { access: rules.trustAdmin } }, async (_request, reply) =>
    renderSchoolForm(reply, 200, { values: {}, schoolId: null }),
  );

  app.post(
    '/admin/schools/new',
    { config: { access: rules.trustAdmin }, schema: { body: formBody('name', 'urn') } },
    async (request, reply) => {
      const { form, input } = readSchoolForm(request.body);
      if (!form.ok) return renderSchoolForm(reply, 422, { values: form.values, errors: form.errors, schoolId: null });
      const id = createSchool(app.db, request.person!.id, input);
      setFlash(request, `${input.name} added. Now add its teams.`);
      return reply.redirectTo(`/admin/schools/${id}`);
    },
  );

  app.get(
    '/admin/schools/:schoolId',
    { config: { access: rules.manageSchool }, schema: { params: schoolParams } },
    async (request, reply) => {
      const school = request.school!;
      return renderSchoolForm(reply, 200, {
        values: { name: school.name, urn: school.urn ?? '' },
        schoolId: school.id,
        teams: listTeams(app.db, school.id),
      });
    },
  );

  app.post(
    '/admin/schools/:schoolId',
    { config: { access: rules.manageSchool }, schema: { params: schoolParams, body: formBody('name', 'urn') } },
    async (request, reply) => {
      const school = request.school!;
      const { form, input } = readSchoolForm(request.body, school.id);
      if (!form.ok)
        return renderSchoolForm(reply, 422, {
          values: form.values,
          errors: form.errors,
          schoolId: school.id,
          teams: listTeams(app.db, school.id),
        });
      updateSchool(app.db, request.person!.id, school.id, input);
      setFlash(request, `${input.name} saved.`);
      return reply.redirectTo(`/admin/schools/${school.id}`);
    },
  );

  // Teams
  const renderTeamForm = (reply: FastifyReply, status: number, data: Record<string, unknown>) =>
    reply.render({
      page: 'pages/admin-team-form',
      status,
      title: data.teamId ? 'Edit team' : 'Add a team',
      data: { errors: {}, weekdayNames, ...data },
    });
  const newTeamValues = { sessionWeekday: '2', sessionTime: '08:00', sessionMinutes: '20' };

  const newTeamRoutes = (
    url: string,
    access: typeof rules.trustAdmin,
    schoolOf: (request: FastifyRequest) => { id: number; name: string } | null,
  ) => {
    const params = url.includes(':schoolId') ? { params: schoolParams } : {};
    app.get(url, { config: { access }, schema: params }, async (request, reply) =>
      renderTeamForm(reply, 200, {
        values: newTeamValues,
        teamId: null,
        school: schoolOf(request),
        action: request.url,
      }),
    );
    app.post(
      url,
      {
        config: { access },
        schema: { ...params, body: formBody('name', 'sessionWeekday', 'sessionTime', 'sessionMinutes') },
      },
      async (request, reply) => {
        const school = schoolOf(request);
        const { form, input } = readTeamForm(request.body);
        if (input.name && !form.errors.name && teamNameTaken(app.db, school?.id ?? null, input.name))
          form.fail('name', 'This school already has a team with this name');
        if (!form.ok)
          return renderTeamForm(reply, 422, {
            values: form.values,
            errors: form.errors,
            teamId: null,
            school,
            action: request.url,
          });
        const id = createTeam(app.db, request.person!.id, school?.id ?? null, input);
        setFlash(request, `${input.name} added. Now add its people.`);
        return reply.redirectTo(`/admin/teams/${id}`);
      },
    );
  };
  newTeamRoutes('/admin/schools/:schoolId/teams/new', rules.manageSchool, (request) => request.school);
  newTeamRoutes('/admin/trust-teams/new', rules.trustAdmin, () => null);

  const teamPageData = (request: FastifyRequest, extra: Record<string, unknown> = {}) => {
    const team = request.team!;
    return {
      teamId: team.id,
      team,
      school: team.schoolId === null ? null : (listSchools(app.db, [team.schoolId])[0] ?? null),
      action: `/admin/teams/${team.id}`,
      roster: teamRoster(app.db, team.id),
      people: listActivePeople(app.db),
      memberValues: {},
      memberErrors: {},
      weekdayName,
      ...extra,
    };
  };

  app.get(
    '/admin/teams/:teamId',
    { config: { access: rules.manageTeam }, schema: { params: teamParams } },
    async (request, reply) => {
      const team = request.team!;
      return renderTeamForm(
        reply,
        200,
        teamPageData(request, {
          values: {
            name: team.name,
            sessionWeekday: String(team.sessionWeekday),
            sessionTime: team.sessionTime,
            sessionMinutes: String(team.sessionMinutes),
          },
        }),
      );
    },
  );

  app.post(
    '/admin/teams/:teamId',
    {
      config: { access: rules.manageTeam },
      schema: { params: teamParams, body: formBody('name', 'sessionWeekday', 'sessionTime', 'sessionMinutes') },
    },
    async (request, reply) => {
      const team = request.team!;
      const { form, input } = readTeamForm(request.body);
      if (input.name && !form.errors.name && teamNameTaken(app.db, team.schoolId, input.name, team.id))
        form.fail('name', 'This school already has a team with this name');
      if (!form.ok)
        return renderTeamForm(reply, 422, teamPageData(request, { values: form.values, errors: form.errors }));
      updateTeam(app.db, request.person!.id, team.id, input);
      setFlash(request, `${input.name} saved.`);
      return reply.redirectTo(`/admin/teams/${team.id}`);
    },
  );

  // Who is in a team: answered with the members partial alone for htmx, the whole page otherwise.
  const renderMembers = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    extra: Record<string, unknown> = {},
  ) =>
    reply.render({
      page: 'pages/admin-team-form',
      partial: 'partials/team-members',
      status,
      title: 'Edit team',
      data: {
        errors: {},
        weekdayNames,
        ...teamPageData(request, {
          values: {
            name: request.team!.name,
            sessionWeekday: String(request.team!.sessionWeekday),
            sessionTime: request.team!.sessionTime,
            sessionMinutes: String(request.team!.sessionMinutes),
          },
        }),
        ...extra,
      },
    });

  app.post(
    '/admin/teams/:teamId/members',
    {
      config: { access: rules.manageTeam },
      schema: { params: teamParams, body: formBody('personId', 'role', 'title') },
    },
    async (request, reply) => {
      const team = request.team!;
      const form = new FormReader(request.body);
      const personId = form.id('personId', 'Person', 'Choose a person from the list');
      const role = form.choice('role', 'Role in the team', TEAM_ROLES);
      const title = form.text('title', { label: 'Job title', max: 80 });
      const person = personId === null ? null : findPerson(app.db, personId);
      if (personId !== null && (!person || person.disabledAt !== null))
        form.fail('personId', 'Choose a person from the list');
      if (
        form.ok &&
        addAssignment(app.db, request.person!.id, person!.id, {
          role: role!,
          title: title || null,
          schoolId: null,
          teamId: team.id,
        }) === null
      ) {
        form.fail('personId', `${person!.name} is already in this team`);
      }
      if (!form.ok) return renderMembers(request, reply, 422, { memberValues: form.values, memberErrors: form.errors });
      if (reply.isFragmentRequest())
        return renderMembers(request, reply, 200, { memberMessage: `${person!.name} added to ${team.name}.` });
      setFlash(request, `${person!.name} added to ${team.name}.`);
      return reply.redirectTo(`/admin/teams/${team.id}`);
    },
  );

  app.post(
    '/admin/teams/:teamId/members/:assignmentId/delete',
    { config: { access: rules.manageTeam }, schema: { params: idParams('teamId', 'assignmentId'), body: formBody() } },
    async (request, reply) => {
      const team = request.team!;
      const assignment = findAssignment(app.db, Number(request.params.assignmentId));
      if (!assignment || assignment.teamId !== team.id) return reply.callNotFound();
      const person = findPerson(app.db, assignment.personId)!;
      removeAssignment(app.db, request.person!.id, assignment.id);
      if (reply.isFragmentRequest())
        return renderMembers(request, reply, 200, { memberMessage: `${person.name} removed from ${team.name}.` });
      setFlash(request, `${person.name} removed from ${team.name}.`);
      return reply.redirectTo(`/admin/teams/${team.id}`);
    },
  );
}
