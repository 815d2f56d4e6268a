// Cadence reminders in the app: the trust admin switches and times each kind (with school overrides) and reads the
// outbox; every signed-in person chooses which optional reminders they get.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  findOutboxMessage,
  listOptOuts,
  listOutbox,
  listReminderSettings,
  outboxCounts,
  saveOptOuts,
  saveReminderSettings,
  type SettingInput,
} from '../db/queries/reminders.ts';
import { listSchools } from '../db/queries/schools.ts';
import { outboxStatuses } from '../domain/reminders.ts';
import { rules } from '../domain/access.ts';
import { TIME_OF_DAY, formatDateTime } from '../domain/dates.ts';
import {
  DAY_OFFSET_RANGE,
  defaultReminderSettings,
  effectiveSetting,
  optionalKinds,
  reminderKindInfo,
  reminderKinds,
  type ReminderKind,
} from '../domain/reminders.ts';
import { FormReader, type FieldErrors } from '../forms.ts';
import { formBody, idParams, schoolParams } from '../schemas.ts';

const settingFields = reminderKinds.flatMap((k) => [`${k}_enabled`, `${k}_sendTime`, `${k}_dayOffset`, `${k}_mode`]);
const settingsBody = formBody(...settingFields);
/** The choices form always carries `choices=1` (all boxes unticked is a real answer; an empty body is not one). */
const preferencesBody = Type.Object({
  _csrf: Type.Optional(Type.String()),
  choices: Type.Literal('1'),
  ...Object.fromEntries(optionalKinds.map((k) => [k, Type.Optional(Type.String())])),
});

/** One kind's fields: switched on, local time "HH:MM", school-day offset; null when a field is wrong (errors recorded). */
function readSetting(form: FormReader, kind: ReminderKind): SettingInput | null {
  const label = reminderKindInfo[kind].label;
  const enabled = form.raw(`${kind}_enabled`) !== '';
  const sendTime = form.text(`${kind}_sendTime`, {
    label: `Time for “${label}”`,
    required: true,
    max: 5,
    pattern: TIME_OF_DAY,
    patternMessage: `Time for “${label}” must be a 24-hour time like 07:30`,
  });
  const dayOffset = form.integer(
    `${kind}_dayOffset`,
    `School days from the anchor day for “${label}”`,
    DAY_OFFSET_RANGE.min,
    DAY_OFFSET_RANGE.max,
  );
  if (form.errors[`${kind}_sendTime`] || dayOffset === null) return null;
  return { enabled, sendTime, dayOffset };
}

/** The form's values for each kind from the settings that apply (the trust's, or a school's with its override marked). */
function settingValues(
  schoolId: number | null,
): (settings: ReturnType<typeof listReminderSettings>) => Record<string, string> {
  return (settings) => {
    const values: Record<string, string> = {};
    for (const kind of reminderKinds) {
      const own = schoolId !== null && settings.some((s) => s.kind === kind && s.schoolId === schoolId);
      const s = effectiveSetting(settings, kind, schoolId);
      values[`${kind}_enabled`] = s.enabled ? 'on' : '';
      values[`${kind}_sendTime`] = s.sendTime;
      values[`${kind}_dayOffset`] = String(s.dayOffset);
      values[`${kind}_mode`] = own ? 'own' : 'trust';
    }
    return values;
  };
}

export default async function reminderRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const trustAdmin = { access: rules.trustAdmin };
  const kinds = reminderKinds.map((kind) => ({
    kind,
    ...reminderKindInfo[kind],
    defaults: defaultReminderSettings[kind],
  }));

  const renderSettings = (
    reply: FastifyReply,
    status: number,
    school: { id: number; name: string } | null,
    values?: Record<string, string>,
    errors: FieldErrors = {},
  ) => {
    const settings = listReminderSettings(app.db);
    return reply.render({
      page: 'pages/admin-reminders',
      status,
      title: school ? `Reminders at ${school.name}` : 'Reminders',
      data: {
        school,
        schools: school
          ? []
          : listSchools(app.db).map((s) => ({ ...s, overrides: settings.filter((r) => r.schoolId === s.id).length })),
        kinds,
        values: values ?? settingValues(school?.id ?? null)(settings),
        errors,
        dayOffset: DAY_OFFSET_RANGE,
        timeZone: app.trust().timeZone,
        smtp: app.config.smtp !== null,
        remindersOn: app.config.reminders,
      },
    });
  };
  const saved = (request: FastifyRequest, reply: FastifyReply, message: string, to: string) => {
    request.session.flash = { kind: 'success', message };
    return reply.redirectTo(to);
  };

  app.get('/admin/reminders', { config: trustAdmin }, async (_request, reply) => renderSettings(reply, 200, null));

  app.post('/admin/reminders', { config: trustAdmin, schema: { body: settingsBody } }, async (request, reply) => {
    const form = new FormReader(request.body);
    const rows = Object.fromEntries(reminderKinds.map((k) => [k, readSetting(form, k)]));
    if (!form.ok) return renderSettings(reply, 422, null, form.values, form.errors);
    saveReminderSettings(app.db, request.person!.id, null, rows, app.now());
    return saved(request, reply, 'Reminder settings saved for the trust.', '/admin/reminders');
  });

  app.get(
    '/admin/reminders/schools/:schoolId',
    { config: trustAdmin, schema: { params: schoolParams } },
    async (request, reply) => renderSettings(reply, 200, request.school!),
  );

  app.post(
    '/admin/reminders/schools/:schoolId',
    { config: trustAdmin, schema: { params: schoolParams, body: settingsBody } },
    async (request, reply) => {
      const form = new FormReader(request.body);
      const rows: Partial<Record<ReminderKind, SettingInput | null>> = {};
      for (const kind of reminderKinds) {
        const mode = form.choice(`${kind}_mode`, `Setting for “${reminderKindInfo[kind].label}”`, [
          'trust',
          'own',
        ] as const);
        // With the trust's setting chosen, the time fields are kept for re-rendering but not checked: they are not used.
        if (mode === 'own') rows[kind] = readSetting(form, kind);
        else if (mode === 'trust') {
          rows[kind] = null;
          for (const f of ['enabled', 'sendTime', 'dayOffset']) form.raw(`${kind}_${f}`);
        }
      }
      const school = request.school!;
      if (!form.ok) return renderSettings(reply, 422, school, form.values, form.errors);
      saveReminderSettings(app.db, request.person!.id, school.id, rows, app.now());
      return saved(
        request,
        reply,
        `Reminder settings saved for ${school.name}.`,
        `/admin/reminders/schools/${school.id}`,
      );
    },
  );

  // The outbox: every reminder that fell due, whether sent or not (with no SMTP configured, they wait here).
  const statusQuery = Type.Object({
    status: Type.Optional(Type.Union([...outboxStatuses.map((s) => Type.Literal(s)), Type.Literal('')])),
  });
  app.get('/admin/outbox', { config: trustAdmin, schema: { querystring: statusQuery } }, async (request, reply) => {
    const status = request.query.status || null;
    return reply.render({
      page: 'pages/admin-outbox',
      title: 'Reminder outbox',
      data: {
        messages: listOutbox(app.db, status),
        counts: outboxCounts(app.db),
        status,
        statuses: outboxStatuses,
        smtp: app.config.smtp !== null,
        formatDateTime,
        timeZone: app.trust().timeZone,
      },
    });
  });

  app.get(
    '/admin/outbox/:messageId',
    { config: trustAdmin, schema: { params: idParams('messageId') } },
    async (request, reply) => {
      const message = findOutboxMessage(app.db, Number(request.params.messageId));
      if (!message) return reply.callNotFound();
      return reply.render({
        page: 'pages/admin-outbox-message',
        title: message.subject,
        data: { message, formatDateTime, timeZone: app.trust().timeZone },
      });
    },
  );

  // A person's own choice of the optional kinds (the others come with their role).
  const renderPreferences = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    values?: Record<string, string>,
  ) => {
    const stopped = new Set(listOptOuts(app.db, request.person!.id));
    return reply.render({
      page: 'pages/reminder-preferences',
      status,
      title: 'Your reminders',
      data: {
        optional: optionalKinds.map((kind) => ({ kind, ...reminderKindInfo[kind] })),
        required: reminderKinds
          .filter((k) => !reminderKindInfo[k].optional)
          .map((kind) => ({ kind, ...reminderKindInfo[kind] })),
        values: values ?? Object.fromEntries(optionalKinds.map((k) => [k, stopped.has(k) ? '' : 'on'])),
      },
    });
  };

  app.get('/reminders/preferences', { config: { access: rules.signedIn } }, async (request, reply) =>
    renderPreferences(request, reply, 200),
  );

  app.post(
    '/reminders/preferences',
    { config: { access: rules.signedIn }, schema: { body: preferencesBody } },
    async (request, reply) => {
      const form = new FormReader(request.body);
      const stopped = optionalKinds.filter((k) => form.raw(k) === '');
      saveOptOuts(app.db, request.person!.id, stopped, app.now());
      return saved(
        request,
        reply,
        stopped.length
          ? 'Saved. You will not get the reminders you switched off.'
          : 'Saved. You will get every reminder.',
        '/reminders/preferences',
      );
    },
  );
}
