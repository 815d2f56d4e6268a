// WIGs: setting them ("From X to Y by When") at team, school and trust level, their lifecycle, veto, lag readings and lead measures.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  activeLeadCount,
  childWigs,
  countActiveTeamWigs,
  createWig,
  findWig,
  listReadings,
  possibleParents,
  saveReading,
  setWigStatus,
  updateWig,
  vetoWig,
  type Wig,
  type WigInput,
  type WigOwner,
} from '../db/queries/wigs.ts';
import {
  createLeadMeasure,
  listLeadMeasures,
  setLeadMeasureStatus,
  targetsOf,
  updateLeadMeasure,
} from '../db/queries/measures.ts';
import { findPerson } from '../db/queries/people.ts';
import { rules } from '../domain/access.ts';
import { weekStart } from '../domain/calendar.ts';
import { formatDay } from '../domain/dates.ts';
import {
  DAILY_TARGET_LIMITS,
  ENTRY_LIMITS,
  leadKindOf,
  MAX_ACTIVE_LEAD_MEASURES,
  targetChangeStarts,
  targetForWeek,
} from '../domain/lead-measures.ts';
import {
  activationProblems,
  canMove,
  isOpenWig,
  LAG_LIMITS,
  type ParentFacts,
  READING_NOTE_MAX,
  vetoProblems,
  wigSentence,
  type WigStatus,
  wigStatusWords,
  withUnit,
} from '../domain/wig.ts';
import { FormReader, type FieldErrors } from '../forms.ts';
import { formBody, idParams, schoolParams, teamParams } from '../schemas.ts';

const wigParams = idParams('wigId');
const measureParams = idParams('measureId');
const WIG_FIELDS = [
  'lagName',
  'unit',
  'direction',
  'baseline',
  'target',
  'startDate',
  'deadline',
  'parentId',
  'intent',
] as const;
const MEASURE_KINDS = ['individual', 'team', 'daily'] as const;

const kindWords = {
  individual: 'Each person, weekly number',
  team: 'Whole team, weekly number',
  daily: 'Daily yes/no standard',
} as const;

function readWigForm(body: unknown) {
  const form = new FormReader(body);
  const input: WigInput = {
    lagName: form.text('lagName', { label: 'Lag measure', required: true, max: 200 }),
    unit: form.text('unit', { label: 'Unit', max: 30 }),
    direction:
      form.raw('direction') === '' ? null : form.choice('direction', 'Direction', ['increase', 'decrease'] as const),
    baseline: form.decimal('baseline', 'From (X)', LAG_LIMITS),
    target: form.decimal('target', 'To (Y)', LAG_LIMITS),
    startDate: form.date('startDate', 'Start date'),
    deadline: form.date('deadline', 'Deadline (by When)'),
    parentId:
      form.raw('parentId') === ''
        ? null
        : form.id('parentId', 'The WIG it serves', 'Choose a WIG from the list for the one it serves'),
  };
  const intent = form.raw('intent') === 'activate' ? 'activate' : 'draft';
  return { form, input, intent };
}

export default async function wigRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  /** Who owns the WIG, named from what the auth plugin resolved for this request (its team, its school). */
  const ownerName = (request: FastifyRequest, owner: WigOwner) =>
    owner.level === 'team'
      ? (request.team?.name ?? 'Team')
      : owner.level === 'school'
        ? (request.school?.name ?? 'School')
        : app.trust().name;
  const parentFacts = (parentId: number | null): ParentFacts | null => {
    const parent = parentId === null ? null : findWig(app.db, parentId);
    return parent ? { id: parent.id, level: parent.level, schoolId: parent.schoolId, status: parent.status } : null;
  };
  /** Everything that stops activation, from the domain rules plus the lead measure count. */
  const problemsFor = (owner: WigOwner, input: WigInput, wigId?: number): FieldErrors => {
    const others = owner.level === 'team' ? countActiveTeamWigs(app.db, owner.teamId!, wigId) : 0;
    return activationProblems({ ...owner, ...input }, parentFacts(input.parentId), others);
  };

  const renderForm = (
    reply: FastifyReply,
    status: number,
    data: {
      owner: WigOwner;
      action: string;
      wigId: number | null;
      values: Record<string, string>;
      errors: FieldErrors;
      cancel: string;
    },
  ) =>
    reply.render({
      page: 'pages/wig-form',
      status,
      title: data.wigId ? 'Edit WIG' : 'Set a WIG',
      data: {
        ...data,
        ownerName: ownerName(reply.request, data.owner),
        parents: possibleParents(app.db, data.owner).map((p) => ({ ...p, sentence: wigSentence(p) })),
      },
    });

  const defaults = () => ({ startDate: app.today(), direction: 'increase', unit: '%' });

  const newWigRoutes = (
    url: string,
    postUrl: string,
    access: (typeof rules)[keyof typeof rules],
    ownerOf: (request: FastifyRequest) => WigOwner,
    cancelOf: (request: FastifyRequest) => string,
    params?: typeof teamParams | typeof schoolParams,
  ) => {
    const schema = params ? { params } : {};
    app.get(url, { config: { access }, schema }, async (request, reply) =>
      renderForm(reply, 200, {
        owner: ownerOf(request),
        action: postUrl.replace(':teamId', String(request.team?.id)).replace(':schoolId', String(request.school?.id)),
        wigId: null,
        values: defaults(),
        errors: {},
        cancel: cancelOf(request),
      }),
    );
    app.post(
      postUrl,
      { config: { access }, schema: { ...schema, body: formBody(...WIG_FIELDS) } },
      async (request, reply) => {
        const owner = ownerOf(request);
        const { form, input, intent } = readWigForm(request.body);
        if (form.ok && intent === 'activate') Object.assign(form.errors, problemsFor(owner, input));
        if (!form.ok)
          return renderForm(reply, 422, {
            owner,
            action: request.url,
            wigId: null,
            values: form.values,
            errors: form.errors,
            cancel: cancelOf(request),
          });
        const wigId = createWig(app.db, request.person!.id, owner, input);
        if (intent === 'activate') setWigStatus(app.db, request.person!.id, wigId, 'active');
        request.session.flash = {
          kind: 'success',
          message: intent === 'activate' ? 'WIG set and active. Now add its lead measures.' : 'WIG saved as a draft.',
        };
        return reply.redirectTo(`/wigs/${wigId}`);
      },
    );
  };
  newWigRoutes(
    '/teams/:teamId/wigs/new',
    '/teams/:teamId/wigs',
    rules.editTeamWigs,
    (r) => ({ level: 'team', schoolId: r.team!.schoolId, teamId: r.team!.id }),
    (r) => `/teams/${r.team!.id}`,
    teamParams,
  );
  newWigRoutes(
    '/schools/:schoolId/wigs/new',
    '/schools/:schoolId/wigs',
    rules.editSchoolWigs,
    (r) => ({ level: 'school', schoolId: r.school!.id, teamId: null }),
    (r) => `/schools/${r.school!.id}`,
    schoolParams,
  );
  newWigRoutes(
    '/trust/wigs/new',
    '/trust/wigs',
    rules.editTrustWigs,
    () => ({ level: 'trust', schoolId: null, teamId: null }),
    () => '/schools',
  );

  const ownerOfWig = (w: Wig): WigOwner => ({ level: w.level, schoolId: w.schoolId, teamId: w.teamId });
  const valuesOf = (w: Wig): Record<string, string> => ({
    lagName: w.lagName,
    unit: w.unit,
    direction: w.direction ?? '',
    baseline: w.baseline === null ? '' : String(w.baseline),
    target: w.target === null ? '' : String(w.target),
    startDate: w.startDate ?? '',
    deadline: w.deadline ?? '',
    parentId: w.parentId === null ? '' : String(w.parentId),
  });
  const homeOf = (w: Wig) =>
    w.level === 'team' ? `/teams/${w.teamId}` : w.level === 'school' ? `/schools/${w.schoolId}` : '/schools';

  // The WIG page
  const renderWig = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    extra: Record<string, unknown> = {},
  ) => {
    const wig = request.wig!;
    const principal = request.principal!;
    const facts = { level: wig.level, schoolId: wig.schoolId, teamId: wig.teamId };
    const parent = wig.parentId === null ? null : findWig(app.db, wig.parentId);
    const measures = listLeadMeasures(app.db, [wig.id], false);
    const targets = targetsOf(
      app.db,
      measures.map((m) => m.id),
    );
    const week = weekStart(app.today());
    const vetoedBy = wig.vetoedBy === null ? null : findPerson(app.db, wig.vetoedBy);
    return reply.render({
      page: 'pages/wig',
      status,
      title: wig.lagName,
      data: {
        wig,
        sentence: wigSentence(wig),
        ownerName: ownerName(request, ownerOfWig(wig)),
        home: homeOf(wig),
        parent: parent ? { ...parent, sentence: wigSentence(parent) } : null,
        children: childWigs(app.db, wig.id).map((c) => ({ ...c, sentence: wigSentence(c) })),
        measures: measures.map((m) => {
          const periods = targets.get(m.id) ?? [];
          const next = targetForWeek(periods, targetChangeStarts(app.today()));
          const now = targetForWeek(periods, week);
          return { ...m, kindWord: kindWords[leadKindOf(m)], target: now, nextTarget: next !== now ? next : null };
        }),
        readings: listReadings(app.db, wig.id),
        canEdit: rules.editWig.allows(principal, { wig: facts }),
        canVeto: rules.vetoWig.allows(principal, { wig: facts }) && isOpenWig(wig.status),
        open: isOpenWig(wig.status),
        vetoedByName: vetoedBy?.name ?? null,
        statusWords: wigStatusWords,
        withUnit,
        formatDay,
        canMove: (to: WigStatus) => canMove(wig.status, to),
        readingValues: { date: app.today() },
        readingErrors: {},
        statusErrors: {},
        vetoValues: {},
        vetoErrors: {},
        activeMeasures: measures.filter((m) => m.status === 'active').length,
        maxMeasures: MAX_ACTIVE_LEAD_MEASURES,
        ...extra,
      },
    });
  };

  app.get(
    '/wigs/:wigId',
    { config: { access: rules.readWig }, schema: { params: wigParams } },
    async (request, reply) => renderWig(request, reply, 200),
  );

  app.get(
    '/wigs/:wigId/edit',
    { config: { access: rules.editWig }, schema: { params: wigParams } },
    async (request, reply) => {
      const wig = request.wig!;
      return renderForm(reply, 200, {
        owner: ownerOfWig(wig),
        action: `/wigs/${wig.id}`,
        wigId: wig.id,
        values: valuesOf(wig),
        errors: {},
        cancel: `/wigs/${wig.id}`,
      });
    },
  );

  app.post(
    '/wigs/:wigId',
    { config: { access: rules.editWig }, schema: { params: wigParams, body: formBody(...WIG_FIELDS) } },
    async (request, reply) => {
      const wig = request.wig!;
      const owner = ownerOfWig(wig);
      const { form, input, intent } = readWigForm(request.body);
      if (!isOpenWig(wig.status))
        form.fail('lagName', `A WIG that is ${wigStatusWords[wig.status].toLowerCase()} can no longer be changed`);
      // An active WIG stays active only if it still meets every rule.
      if (form.ok && (intent === 'activate' || wig.status === 'active'))
        Object.assign(form.errors, problemsFor(owner, input, wig.id));
      if (!form.ok)
        return renderForm(reply, 422, {
          owner,
          action: `/wigs/${wig.id}`,
          wigId: wig.id,
          values: form.values,
          errors: form.errors,
          cancel: `/wigs/${wig.id}`,
        });
      updateWig(app.db, request.person!.id, wig.id, input);
      if (intent === 'activate' && wig.status === 'draft') setWigStatus(app.db, request.person!.id, wig.id, 'active');
      request.session.flash = { kind: 'success', message: 'WIG saved.' };
      return reply.redirectTo(`/wigs/${wig.id}`);
    },
  );

  app.post(
    '/wigs/:wigId/status',
    { config: { access: rules.editWig }, schema: { params: wigParams, body: formBody('status') } },
    async (request, reply) => {
      const wig = request.wig!;
      const form = new FormReader(request.body);
      const to = form.choice('status', 'Status', ['active', 'achieved', 'missed', 'archived', 'draft'] as const);
      if (to && !canMove(wig.status, to))
        form.fail(
          'status',
          `A ${wigStatusWords[wig.status].toLowerCase()} WIG cannot become ${wigStatusWords[to].toLowerCase()}`,
        );
      if (form.ok && to === 'active') {
        const problems = problemsFor(ownerOfWig(wig), valuesFromWig(wig), wig.id);
        if (Object.keys(problems).length)
          form.fail('status', `This WIG cannot be active yet: ${Object.values(problems).join('. ')}.`);
      }
      if (!form.ok) return renderWig(request, reply, 422, { statusErrors: form.errors });
      setWigStatus(app.db, request.person!.id, wig.id, to!);
      request.session.flash = { kind: 'success', message: `WIG marked ${wigStatusWords[to!].toLowerCase()}.` };
      return reply.redirectTo(`/wigs/${wig.id}`);
    },
  );

  app.post(
    '/wigs/:wigId/veto',
    { config: { access: rules.vetoWig }, schema: { params: wigParams, body: formBody('reason') } },
    async (request, reply) => {
      const wig = request.wig!;
      const form = new FormReader(request.body);
      const reason = form.text('reason', { label: 'Reason', required: true, max: 1000 });
      for (const [field, message] of Object.entries(vetoProblems(wig.status, reason)))
        form.fail(field === 'status' ? 'reason' : field, message);
      if (!form.ok) return renderWig(request, reply, 422, { vetoValues: form.values, vetoErrors: form.errors });
      vetoWig(app.db, request.person!.id, wig.id, reason);
      request.session.flash = {
        kind: 'success',
        message: 'WIG vetoed: it is back to a draft, and the team sees your reason.',
      };
      return reply.redirectTo(`/wigs/${wig.id}`);
    },
  );

  app.post(
    '/wigs/:wigId/readings',
    { config: { access: rules.editWig }, schema: { params: wigParams, body: formBody('date', 'value', 'note') } },
    async (request, reply) => {
      const wig = request.wig!;
      const form = new FormReader(request.body);
      const date = form.date('date', 'Date', true);
      const value = form.decimal('value', 'Value', { ...LAG_LIMITS, required: true });
      const note = form.text('note', { label: 'Note', max: READING_NOTE_MAX });
      if (date && date > app.today()) form.fail('date', 'A reading cannot be dated in the future');
      if (!form.ok) return renderWig(request, reply, 422, { readingValues: form.values, readingErrors: form.errors });
      const result = saveReading(app.db, request.person!.id, wig.id, date!, value!, note || null);
      request.session.flash = {
        kind: 'success',
        message:
          result === 'corrected'
            ? `Reading for ${formatDay(date!)} corrected; the old value is kept in the history.`
            : `Reading for ${formatDay(date!)} saved.`,
      };
      return reply.redirectTo(`/wigs/${wig.id}#readings`);
    },
  );

  // Lead measures
  const renderMeasureForm = (
    reply: FastifyReply,
    status: number,
    data: {
      wig: Wig;
      measureId: number | null;
      values: Record<string, string>;
      errors: FieldErrors;
      startsFrom: string | null;
    },
  ) =>
    reply.render({
      page: 'pages/measure-form',
      status,
      title: data.measureId ? 'Edit lead measure' : 'Add a lead measure',
      data: { ...data, sentence: wigSentence(data.wig), kinds: MEASURE_KINDS, kindWords, formatDay },
    });

  app.get(
    '/wigs/:wigId/measures/new',
    { config: { access: rules.editWig }, schema: { params: wigParams } },
    async (request, reply) =>
      renderMeasureForm(reply, 200, {
        wig: request.wig!,
        measureId: null,
        values: { kind: 'individual', direction: 'increase' },
        errors: {},
        startsFrom: null,
      }),
  );

  app.post(
    '/wigs/:wigId/measures',
    {
      config: { access: rules.editWig },
      schema: { params: wigParams, body: formBody('name', 'kind', 'unit', 'direction', 'target') },
    },
    async (request, reply) => {
      const wig = request.wig!;
      const form = new FormReader(request.body);
      const name = form.text('name', { label: 'Lead measure', required: true, max: 200 });
      const kind = form.choice('kind', 'Kind of measure', MEASURE_KINDS);
      const unit = form.text('unit', { label: 'Unit', max: 30 });
      const direction = form.choice('direction', 'Direction', ['increase', 'decrease'] as const);
      const target =
        kind === 'daily'
          ? form.decimal('target', 'Target (share of school days, %)', { ...DAILY_TARGET_LIMITS, required: true })
          : form.decimal('target', 'Weekly target', { ...ENTRY_LIMITS, required: true });
      if (!isOpenWig(wig.status)) form.fail('name', 'Lead measures can only be added to a draft or active WIG');
      else if (activeLeadCount(app.db, wig.id) >= MAX_ACTIVE_LEAD_MEASURES)
        form.fail('name', `A WIG has at most ${MAX_ACTIVE_LEAD_MEASURES} active lead measures. Retire one first.`);
      if (!form.ok)
        return renderMeasureForm(reply, 422, {
          wig,
          measureId: null,
          values: form.values,
          errors: form.errors,
          startsFrom: null,
        });
      const fromWeek = weekStart(wig.startDate && wig.startDate < app.today() ? wig.startDate : app.today());
      createLeadMeasure(
        app.db,
        request.person!.id,
        wig.id,
        {
          name,
          kind: kind === 'daily' ? 'daily' : 'number',
          perPerson: kind !== 'team',
          unit: kind === 'daily' ? '%' : unit,
          direction: direction!,
        },
        target!,
        fromWeek,
      );
      request.session.flash = { kind: 'success', message: `Lead measure “${name}” added.` };
      return reply.redirectTo(`/wigs/${wig.id}#measures`);
    },
  );

  const measureValues = (request: FastifyRequest) => {
    const m = request.measure!;
    const now = targetForWeek(targetsOf(app.db, [m.id]).get(m.id) ?? [], weekStart(app.today()));
    return { name: m.name, unit: m.unit, target: now === null ? '' : String(now) };
  };

  app.get(
    '/measures/:measureId/edit',
    { config: { access: rules.editWig }, schema: { params: measureParams } },
    async (request, reply) =>
      renderMeasureForm(reply, 200, {
        wig: request.wig!,
        measureId: request.measure!.id,
        values: measureValues(request),
        errors: {},
        startsFrom: targetChangeStarts(app.today()),
      }),
  );

  app.post(
    '/measures/:measureId',
    { config: { access: rules.editWig }, schema: { params: measureParams, body: formBody('name', 'unit', 'target') } },
    async (request, reply) => {
      const m = request.measure!;
      const form = new FormReader(request.body);
      const name = form.text('name', { label: 'Lead measure', required: true, max: 200 });
      const unit = m.kind === 'daily' ? '%' : form.text('unit', { label: 'Unit', max: 30 });
      const target =
        m.kind === 'daily'
          ? form.decimal('target', 'Target (share of school days, %)', { ...DAILY_TARGET_LIMITS, required: true })
          : form.decimal('target', 'Weekly target', { ...ENTRY_LIMITS, required: true });
      const startsFrom = targetChangeStarts(app.today());
      if (!form.ok)
        return renderMeasureForm(reply, 422, {
          wig: request.wig!,
          measureId: m.id,
          values: form.values,
          errors: form.errors,
          startsFrom,
        });
      updateLeadMeasure(app.db, request.person!.id, m.id, name, unit, target!, startsFrom);
      request.session.flash = {
        kind: 'success',
        message: `“${name}” saved. A new target applies from ${formatDay(startsFrom)}; past weeks keep theirs.`,
      };
      return reply.redirectTo(`/wigs/${m.wigId}#measures`);
    },
  );

  app.post(
    '/measures/:measureId/retire',
    { config: { access: rules.editWig }, schema: { params: measureParams, body: formBody() } },
    async (request, reply) => {
      const m = request.measure!;
      if (m.status === 'retired' && activeLeadCount(app.db, m.wigId) >= MAX_ACTIVE_LEAD_MEASURES) {
        return renderWig(request, reply, 422, {
          statusErrors: {
            status: `A WIG has at most ${MAX_ACTIVE_LEAD_MEASURES} active lead measures. Retire one before bringing “${m.name}” back.`,
          },
        });
      }
      setLeadMeasureStatus(app.db, request.person!.id, m.id, m.status === 'active' ? 'retired' : 'active');
      request.session.flash = {
        kind: 'success',
        message: m.status === 'active' ? `“${m.name}” retired; its history is kept.` : `“${m.name}” is active again.`,
      };
      return reply.redirectTo(`/wigs/${m.wigId}#measures`);
    },
  );
}

function valuesFromWig(w: Wig): WigInput {
  return {
    lagName: w.lagName,
    unit: w.unit,
    direction: w.direction,
    baseline: w.baseline,
    target: w.target,
    startDate: w.startDate,
    deadline: w.deadline,
    parentId: w.parentId,
  };
}
