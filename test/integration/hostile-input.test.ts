// Hostile input to every form: each answer is a 4xx with a message by the field and nothing written, or a save that later renders escaped and inert; never a 5xx.
import { createPairing } from '../../src/db/queries/displays.ts';
import { createAcademicYear } from '../../src/db/queries/calendar.ts';
import { createWig, setWigStatus } from '../../src/db/queries/wigs.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { hashPassword } from '../../src/auth/password.ts';
import { issueToken } from '../../src/db/queries/auth.ts';
import { createPerson } from '../../src/db/queries/people.ts';
import { people, schools, teams, wigs as wigsTable } from '../../src/db/schema.ts';
import { pathRequests as pathRequestsTable } from '../../src/db/schema.ts';
import { Client, createTestApp, signedIn, TEST_PASSWORD, type TestApp } from '../helpers/app.ts';
import { EMAIL, seedWorld, type World, type WorldRole } from '../helpers/world.ts';
import { snapshot } from '../helpers/db.ts';
import { cellThisWeek } from '../helpers/measures.ts';
import { PINNED_TODAY } from '../helpers/clock.ts';
import { defaultReminderSettings } from '../../src/domain/reminders.ts';

/** The session form names its fields per person: seedWorld makes its people in EMAIL's order, so the member's id is fixed. */
const SESSION_MEMBER = Object.keys(EMAIL).indexOf('member') + 1;
const SESSION_MEMBER_TEXT = `commit_${SESSION_MEMBER}_1_text`;
const SESSION_MEMBER_MEASURE = `commit_${SESSION_MEMBER}_1_measure`;

const HOSTILE = [
  ['empty values', ''],
  ['10,000-character strings', 'x'.repeat(10_000)],
  ['a script tag', '<script>alert(1)</script>'],
  ['an element with htmx attributes', '<div hx-get="/x" hx-trigger="load">'],
  ['a Welsh name (Siân)', 'Siân'],
  ['a name with a diaeresis (Zoë)', 'Zoë'],
  ['a Chinese name (王)', '王'],
  ['SQL-like text', "'; DROP TABLE people; --"],
] as const;

/** Anything that would run or fetch if it reached a page unescaped. */
// (Not `hx-trigger="load"` alone: the app's own lazy sections use it; the hostile element always carries hx-get="/x" too.)
const LIVE_MARKUP = ['<script>alert(1)</script>', '<div hx-get', 'hx-get="/x"'];

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function expectInert(body: string, where: string) {
  for (const marker of LIVE_MARKUP) expect(body.includes(marker), `${where} shows ${marker} unescaped`).toBe(false);
}

interface Ctx {
  t: TestApp;
  world: World | null;
  client: Client;
  /** Counts posts, so each one can use names and emails no earlier one used. */
  n: number;
  /** Set by a form's url(): who a single-use link belongs to. */
  linkEmail?: string;
}

interface FormCase {
  title: string;
  /** Runs against a database with nobody in it (the first-run form): a fresh one for every post. */
  emptyDatabase?: boolean;
  as: WorldRole | null;
  fields: readonly string[];
  /** Text inputs whose value the re-rendered form keeps (never a password; selects only keep a listed choice). */
  kept: readonly string[];
  /** Fields whose saved value some page shows. */
  shown: readonly string[];
  okStatus: number;
  refusedStatus?: readonly number[];
  headers?: Record<string, string>;
  valid(ctx: Ctx): Record<string, string>;
  url(ctx: Ctx): string | Promise<string>;
  /** Turns a hostile value into what this field would carry (the sign-in form's next is always a path). */
  hostile?(field: string, value: string): string;
  /** After a save: the saved password signs in, and so on. */
  afterSave?(ctx: Ctx, sent: Record<string, string>): Promise<void>;
}

const teamFields = ['name', 'sessionWeekday', 'sessionTime', 'sessionMinutes'] as const;
const validTeam = (ctx: Ctx) => ({
  name: `Team ${ctx.n}`,
  sessionWeekday: '3',
  sessionTime: '08:15',
  sessionMinutes: '25',
});
const teamCase = (title: string, url: (w: World) => string): FormCase => ({
  title,
  as: 'admin',
  fields: teamFields,
  kept: ['name', 'sessionTime', 'sessionMinutes'],
  shown: ['name'],
  okStatus: 303,
  valid: validTeam,
  url: (ctx) => url(ctx.world!),
});

/** People not yet in team A of the world, to add one per post. */
const joiners: WorldRole[] = [
  'noRole',
  'otherMember',
  'ceo',
  'otherHead',
  'trustTeamMember',
  'admin',
  'invited',
  'head',
];
const membersCase = (title: string, headers?: Record<string, string>): FormCase => ({
  title,
  as: 'head',
  fields: ['personId', 'role', 'title'],
  kept: ['title'],
  shown: ['title'],
  okStatus: headers ? 200 : 303,
  headers,
  valid: (ctx) => ({
    personId: String(ctx.world!.person[joiners[ctx.n % joiners.length]!]),
    role: 'team_member',
    title: 'Class teacher',
  }),
  url: (ctx) => `/admin/teams/${ctx.world!.teamA}/members`,
});

const passwordLinkCase = (purpose: 'invitation' | 'password_reset'): FormCase => ({
  title:
    purpose === 'invitation'
      ? 'POST /invitations/:token — accepting an invitation'
      : 'POST /password-resets/:token — choosing a new password',
  as: null,
  fields: ['password', 'confirm'],
  kept: [],
  shown: [],
  okStatus: 303,
  valid: () => ({ password: 'a long enough password', confirm: 'a long enough password' }),
  url: async (ctx) => {
    const email = `linked-${ctx.n}@test.school`;
    const hash = purpose === 'password_reset' ? await hashPassword(TEST_PASSWORD, ctx.t.config.scrypt) : null;
    const id = createPerson(ctx.t.app.db, null, { name: `Linked ${ctx.n}`, email }, hash);
    ctx.linkEmail = email;
    const token = issueToken(ctx.t.app.db, null, id, purpose, 60_000);
    return `${purpose === 'invitation' ? '/invitations' : '/password-resets'}/${token}`;
  },
  afterSave: async (ctx, sent) => {
    // The password saved is the one typed (trimmed, as the form reads it): it signs in.
    const response = await new Client(ctx.t.app).login(ctx.linkEmail!, sent.password!.trim());
    expect(response.statusCode).toBe(303);
  },
});

/** Every reminder kind at its default, each following the trust (for a school form) — cadence reminders, issue 7. */
function reminderSettingsForm(mode: 'trust' | 'own'): Record<string, string> {
  return Object.fromEntries(
    Object.entries(defaultReminderSettings).flatMap(([kind, d]) => [
      [`${kind}_enabled`, d.enabled ? 'on' : ''],
      [`${kind}_sendTime`, d.sendTime],
      [`${kind}_dayOffset`, String(d.dayOffset)],
      [`${kind}_mode`, mode],
    ]),
  );
}

const FORMS: FormCase[] = [
  {
    title: 'POST /displays/pair — a headteacher pairs a wall display',
    as: 'head',
    fields: ['code', 'name', 'kind', 'teamId', 'schoolId', 'rotateSeconds'],
    kept: ['name', 'rotateSeconds'],
    shown: ['name'],
    okStatus: 303,
    // Each post claims a code of its own, as each TV shows its own.
    valid: (ctx) => ({
      code: createPairing(ctx.t.app.db, ctx.t.app.now())!.code,
      name: `Staffroom ${ctx.n}`,
      kind: 'rotation',
      teamId: '',
      schoolId: String(ctx.world!.schoolA),
      rotateSeconds: '20',
    }),
    url: () => '/displays/pair',
  },
  {
    title: 'POST /login — signing in',
    as: null,
    fields: ['email', 'password', 'next'],
    kept: ['email'],
    shown: [],
    okStatus: 303,
    refusedStatus: [401, 422],
    valid: () => ({ email: EMAIL.member, password: TEST_PASSWORD, next: '/' }),
    url: () => '/login',
    hostile: (field, value) => (field === 'next' ? `/${value}` : value),
  },
  {
    title: 'POST /setup — the first-run form on an empty database',
    emptyDatabase: true,
    as: null,
    fields: ['trustName', 'timeZone', 'name', 'email', 'password'],
    kept: ['trustName', 'timeZone', 'name', 'email'],
    shown: ['trustName', 'name'],
    okStatus: 303,
    valid: () => ({
      trustName: 'Hillside Trust',
      timeZone: 'Europe/London',
      name: 'First Admin',
      email: 'first@test.school',
      password: 'a long enough password',
    }),
    url: () => '/setup',
  },
  {
    title: 'POST /admin/settings — trust settings',
    as: 'admin',
    fields: ['name', 'timeZone'],
    kept: ['name', 'timeZone'],
    shown: ['name'],
    okStatus: 303,
    valid: (ctx) => ({ name: `Trust ${ctx.n}`, timeZone: 'Europe/London' }),
    url: () => '/admin/settings',
  },
  {
    title: 'POST /admin/schools/new — adding a school',
    as: 'admin',
    fields: ['name', 'urn'],
    kept: ['name', 'urn'],
    shown: ['name', 'urn'],
    okStatus: 303,
    valid: (ctx) => ({ name: `School ${ctx.n}`, urn: String(200_000 + ctx.n) }),
    url: () => '/admin/schools/new',
  },
  {
    title: 'POST /admin/schools/:schoolId — a headteacher edits their school',
    as: 'head',
    fields: ['name', 'urn'],
    kept: ['name', 'urn'],
    shown: ['name', 'urn'],
    okStatus: 303,
    valid: (ctx) => ({ name: `Ashcombe ${ctx.n}`, urn: '100001' }),
    url: (ctx) => `/admin/schools/${ctx.world!.schoolA}`,
  },
  teamCase(
    'POST /admin/schools/:schoolId/teams/new — adding a team to a school',
    (w) => `/admin/schools/${w.schoolA}/teams/new`,
  ),
  teamCase('POST /admin/trust-teams/new — adding a trust team', () => '/admin/trust-teams/new'),
  teamCase('POST /admin/teams/:teamId — editing a school team', (w) => `/admin/teams/${w.teamA}`),
  teamCase('POST /admin/teams/:teamId — editing a trust team', (w) => `/admin/teams/${w.trustTeam}`),
  membersCase('POST /admin/teams/:teamId/members — a headteacher adds someone to a team'),
  membersCase('POST /admin/teams/:teamId/members — the same, from htmx (partial answer)', {
    'hx-request': 'true',
    'hx-request-type': 'partial',
  }),
  {
    title: 'POST /admin/people/new — adding a person',
    as: 'admin',
    fields: ['name', 'email'],
    kept: ['name', 'email'],
    shown: ['name'],
    okStatus: 200,
    valid: (ctx) => ({ name: `Person ${ctx.n}`, email: `person-${ctx.n}@test.school` }),
    url: () => '/admin/people/new',
  },
  {
    title: 'POST /admin/people/:personId — editing a person',
    as: 'admin',
    fields: ['name', 'email'],
    kept: ['name', 'email'],
    shown: ['name'],
    okStatus: 303,
    valid: (ctx) => ({ name: `No Role ${ctx.n}`, email: `norole-${ctx.n}@test.school` }),
    url: (ctx) => `/admin/people/${ctx.world!.person.noRole}`,
  },
  {
    title: 'POST /admin/people/:personId/roles — giving a person a role',
    as: 'admin',
    fields: ['role', 'title', 'schoolId', 'teamId'],
    kept: ['title'],
    shown: ['title'],
    okStatus: 303,
    valid: (ctx) => {
      const w = ctx.world!;
      return {
        role: 'team_member',
        title: 'SENDCO',
        schoolId: '',
        teamId: String([w.teamA, w.teamA2, w.teamB, w.trustTeam][ctx.n % 4]),
      };
    },
    url: (ctx) => `/admin/people/${ctx.world!.person.noRole}/roles`,
  },
  passwordLinkCase('invitation'),
  passwordLinkCase('password_reset'),
  {
    title: 'POST /admin/calendar/years — adding an academic year',
    as: 'admin',
    fields: ['name', 'startDate', 'endDate'],
    kept: ['name', 'startDate', 'endDate'],
    shown: ['name'],
    okStatus: 303,
    valid: (ctx) => ({ name: `Year ${ctx.n}`, startDate: `${2030 + ctx.n}-09-01`, endDate: `${2031 + ctx.n}-07-31` }),
    url: () => '/admin/calendar/years',
  },
  {
    title: 'POST /admin/calendar/terms — adding a term',
    as: 'admin',
    fields: ['academicYearId', 'name', 'startDate', 'endDate'],
    kept: ['name', 'startDate', 'endDate'],
    shown: ['name'],
    okStatus: 303,
    valid: (ctx) => {
      const year = 2100 + calendarYears++;
      const id = createAcademicYear(ctx.t.app.db, null, {
        name: `Year ${year}`,
        startDate: `${year}-01-01`,
        endDate: `${year}-12-31`,
      });
      return {
        academicYearId: String(id),
        name: `Term ${ctx.n}`,
        startDate: `${year}-01-05`,
        endDate: `${year}-02-12`,
      };
    },
    url: () => '/admin/calendar/terms',
  },
  {
    title: 'POST /admin/calendar/closures — adding a trust-wide closure',
    as: 'admin',
    fields: ['kind', 'name', 'startDate', 'endDate'],
    kept: ['name', 'startDate', 'endDate'],
    shown: ['name'],
    okStatus: 303,
    valid: (ctx) => ({ kind: 'inset', name: `INSET ${ctx.n}`, startDate: '2026-11-27', endDate: '2026-11-27' }),
    url: () => '/admin/calendar/closures',
  },
  // Cadence reminders (issue 7): the trust's settings, a school's overrides, a person's own choices.
  {
    title: 'POST /admin/reminders — switching and timing the reminders for the trust',
    as: 'admin',
    fields: ['session_today_enabled', 'session_today_sendTime', 'session_today_dayOffset', 'trust_digest_sendTime'],
    kept: ['session_today_sendTime', 'session_today_dayOffset', 'trust_digest_sendTime'],
    shown: [],
    okStatus: 303,
    valid: () => reminderSettingsForm('trust'),
    url: () => '/admin/reminders',
  },
  {
    title: "POST /admin/reminders/schools/:schoolId — a school's own reminder settings",
    as: 'admin',
    fields: ['session_today_mode', 'session_today_enabled', 'session_today_sendTime', 'session_today_dayOffset'],
    kept: [],
    shown: [],
    okStatus: 303,
    valid: () => ({ ...reminderSettingsForm('trust'), session_today_mode: 'own' }),
    url: (ctx) => `/admin/reminders/schools/${ctx.world!.schoolA}`,
  },
  {
    title: 'POST /reminders/preferences — a person choosing their optional reminders',
    as: 'member',
    fields: ['entries_missing', 'school_digest', 'trust_digest'],
    kept: [],
    shown: [],
    okStatus: 303,
    valid: () => ({ choices: '1', entries_missing: 'on', school_digest: '', trust_digest: 'on' }),
    url: () => '/reminders/preferences',
  },
  {
    title: 'POST /admin/calendar/bank-holidays — importing bank holidays',
    as: 'admin',
    fields: ['division', 'file'],
    kept: [],
    shown: [],
    okStatus: 303,
    valid: (ctx) => ({
      division: 'england-and-wales',
      file: JSON.stringify({ 'england-and-wales': { events: [{ title: `Holiday ${ctx.n}`, date: '2040-01-02' }] } }),
    }),
    url: () => '/admin/calendar/bank-holidays',
  },
  {
    title: "POST /admin/schools/:schoolId/closures — a headteacher adds their school's closure",
    as: 'head',
    fields: ['kind', 'name', 'startDate', 'endDate'],
    kept: ['name', 'startDate', 'endDate'],
    shown: ['name'],
    okStatus: 303,
    valid: (ctx) => ({ kind: 'closure', name: `Snow day ${ctx.n}`, startDate: '2027-01-12', endDate: '2027-01-13' }),
    url: (ctx) => `/admin/schools/${ctx.world!.schoolA}/closures`,
  },
  {
    title: 'POST /teams/:teamId/wigs — a team leader sets a WIG',
    as: 'lead',
    fields: ['lagName', 'unit', 'direction', 'baseline', 'target', 'startDate', 'deadline', 'parentId', 'intent'],
    kept: ['lagName', 'unit', 'baseline', 'target', 'startDate', 'deadline'],
    shown: ['lagName'],
    okStatus: 303,
    valid: (ctx) => ({
      ...hostileWigForm(`WIG ${ctx.n}`),
      parentId: String(hostileChain(ctx).schoolWig),
      intent: 'draft',
    }),
    url: (ctx) => `/teams/${ctx.world!.teamA}/wigs`,
  },
  {
    title: 'POST /wigs/:wigId/readings — a lag reading',
    as: 'lead',
    fields: ['date', 'value', 'note'],
    kept: ['date', 'value', 'note'],
    shown: ['note'],
    okStatus: 303,
    valid: (ctx) => ({
      date: `2026-10-${String(1 + (ctx.n % 28)).padStart(2, '0')}`,
      value: '74.5',
      note: `Mock ${ctx.n}`,
    }),
    url: (ctx) => `/wigs/${hostileChain(ctx).teamWig}/readings`,
  },
  {
    title: 'POST /wigs/:wigId/measures — adding a lead measure',
    as: 'lead',
    fields: ['name', 'kind', 'unit', 'direction', 'target'],
    kept: ['name', 'unit', 'target'],
    shown: ['name'],
    okStatus: 303,
    valid: (ctx) => ({ name: `Measure ${ctx.n}`, kind: 'team', unit: 'calls', direction: 'increase', target: '3' }),
    url: (ctx) => `/wigs/${hostileChain(ctx, true).teamWig}/measures`,
  },
  {
    title: 'POST /wigs/:wigId/veto — a headteacher vetoes a team WIG',
    as: 'head',
    fields: ['reason'],
    kept: ['reason'],
    shown: ['reason'],
    okStatus: 303,
    valid: (ctx) => ({ reason: `Aim at reading instead ${ctx.n}` }),
    url: (ctx) => `/wigs/${hostileChain(ctx, true).teamWig}/veto`,
  },
  // Weekly update
  {
    title: 'POST /teams/:teamId/entries — a member types a number in their own cell',
    as: 'member',
    fields: ['value'],
    kept: ['value'],
    shown: [],
    okStatus: 303,
    valid: (ctx) => {
      const { measureId, week } = cellThisWeek(
        ctx.t.app.db,
        { id: ctx.world!.teamA, schoolId: ctx.world!.schoolA },
        'individual',
      );
      return { measureId, week, personId: String(ctx.world!.person.member), value: String(ctx.n) };
    },
    url: (ctx) => `/teams/${ctx.world!.teamA}/entries`,
  },
  {
    title: 'POST /teams/:teamId/entries — a member ticks a day of a daily standard',
    as: 'member',
    fields: ['kept'],
    kept: [],
    shown: [],
    okStatus: 303,
    valid: (ctx) => {
      const { measureId, week, schoolDay } = cellThisWeek(
        ctx.t.app.db,
        { id: ctx.world!.teamA, schoolId: ctx.world!.schoolA },
        'daily',
      );
      return { measureId, week, date: schoolDay, personId: String(ctx.world!.person.member), kept: '1' };
    },
    url: (ctx) => `/teams/${ctx.world!.teamA}/entries`,
  },
  // WIG sessions and path requests (issue 6)
  {
    title: "POST /teams/:teamId/session — the team leader records this week's session",
    as: 'lead',
    fields: ['worked', 'didNotWork', 'path_1_text', 'path_1_assignee', SESSION_MEMBER_TEXT, SESSION_MEMBER_MEASURE],
    kept: ['path_1_text', SESSION_MEMBER_TEXT],
    // A re-opened session edits its commitments in place, so only the (new each time) path requests stay on show.
    shown: ['path_1_text'],
    okStatus: 303,
    valid: (ctx) => {
      const { measureId, week } = cellThisWeek(
        ctx.t.app.db,
        { id: ctx.world!.teamA, schoolId: ctx.world!.schoolA },
        'individual',
      );
      return {
        week,
        worked: `Conferences at lunch ${ctx.n}`,
        didNotWork: `Calls after four ${ctx.n}`,
        path_1_text: `Cover for moderation ${ctx.n}`,
        path_1_assignee: String(ctx.world!.person.head),
        [SESSION_MEMBER_TEXT]: `Call ${ctx.n + 2} parents`,
        [SESSION_MEMBER_MEASURE]: measureId,
      };
    },
    url: (ctx) => `/teams/${ctx.world!.teamA}/session`,
  },
  {
    title: "POST /path-requests/:pathRequestId/resolve — the headteacher resolves a team's request for help",
    as: 'head',
    fields: ['resolution'],
    kept: ['resolution'],
    shown: [],
    okStatus: 303,
    valid: (ctx) => ({ resolution: `Cover booked ${ctx.n}` }),
    url: (ctx) => {
      const w = ctx.world!;
      const row = ctx.t.app.db
        .insert(pathRequestsTable)
        .values({
          teamId: w.teamA,
          week: '2026-11-23',
          text: `Help ${ctx.n}`,
          raisedBy: w.person.lead,
          assigneeId: w.person.head,
          raisedAt: 0,
        })
        .returning({ id: pathRequestsTable.id })
        .get();
      return `/path-requests/${row.id}/resolve`;
    },
  },
  // CSV import and export
  ...(['preview', 'confirm'] as const).flatMap((step): FormCase[] => {
    const fixture = async (ctx: Ctx) => (await import('../helpers/csv-world.ts')).csvFixture(ctx.t.app.db, ctx.world!);
    // Today as the app's (pinned) clock sees it: any date in a week names that week.
    const today = () => PINNED_TODAY;
    const confirm = step === 'confirm';
    const path = confirm ? '/confirm' : '';
    return [
      {
        title: `POST /teams/:teamId/import${path} — ${confirm ? 'saving' : 'previewing'} a spreadsheet of the team's numbers`,
        as: 'lead',
        fields: confirm ? ['csv'] : ['csv', 'file'],
        kept: [],
        shown: [],
        okStatus: confirm ? 303 : 200,
        valid: (ctx) => ({
          ...(confirm ? {} : { file: '' }),
          csv: `week,measure,person,value\n${today()},Parent conferences held,Team,${ctx.n + 1}\n`,
        }),
        url: async (ctx) => {
          await fixture(ctx);
          return `/teams/${ctx.world!.teamA}/import${path}`;
        },
      },
      {
        title: `POST /wigs/:wigId/readings/import${path} — ${confirm ? 'saving' : 'previewing'} a spreadsheet of lag readings`,
        as: 'lead',
        fields: confirm ? ['csv'] : ['csv', 'file'],
        kept: [],
        shown: [],
        okStatus: confirm ? 303 : 200,
        valid: (ctx) => ({
          ...(confirm ? {} : { file: '' }),
          csv: `date,value,note\n${today()},${ctx.n + 50},Termly check\n`,
        }),
        url: async (ctx) => `/wigs/${(await fixture(ctx)).wigId}/readings/import${path}`,
      },
    ];
  }),
];
let calendarYears = 0;
const hostileWigForm = (lagName: string) => ({
  lagName,
  baseline: '60',
  target: '70',
  unit: '%',
  direction: 'increase',
  startDate: '2026-09-07',
  deadline: '2027-07-16',
});
const chains = new WeakMap<object, { schoolWig: number; teamWig: number }>();
/** An active trust → school A → team A WIG chain for a test app (a fresh team WIG each call when asked). */
function hostileChain(ctx: Ctx, freshTeamWig = false) {
  const db = ctx.t.app.db;
  const w = ctx.world!;
  const base = {
    unit: '%',
    direction: 'increase' as const,
    baseline: 60,
    target: 70,
    startDate: '2026-09-07',
    deadline: '2027-07-16',
  };
  let chain = chains.get(ctx.t);
  if (!chain || freshTeamWig) {
    let schoolWig = chain?.schoolWig;
    if (!schoolWig) {
      const trustWig = createWig(
        db,
        w.person.ceo,
        { level: 'trust', schoolId: null, teamId: null },
        { ...base, lagName: 'Trust', parentId: null },
      );
      setWigStatus(db, w.person.ceo, trustWig, 'active');
      schoolWig = createWig(
        db,
        w.person.head,
        { level: 'school', schoolId: w.schoolA, teamId: null },
        { ...base, lagName: 'School', parentId: trustWig },
      );
      setWigStatus(db, w.person.head, schoolWig, 'active');
    }
    const teamWig = createWig(
      db,
      w.person.lead,
      { level: 'team', schoolId: w.schoolA, teamId: w.teamA },
      { ...base, lagName: 'Team', parentId: schoolWig },
    );
    chain = { schoolWig, teamWig };
    chains.set(ctx.t, chain);
  }
  return chain;
}

/** Everyone who holds a sign-in session: a refused sign-in must not add one. */
const sessionOwners = (t: TestApp) =>
  (
    t.app.db.$client.prepare('select person_id as id from web_sessions order by person_id').all() as {
      id: number | null;
    }[]
  ).map((r) => r.id);

async function open(form: FormCase): Promise<Ctx> {
  const t = await createTestApp();
  const world = form.emptyDatabase ? null : await seedWorld(t.app.db);
  const client = form.as ? await signedIn(t.app, EMAIL[form.as]) : new Client(t.app);
  if (form.emptyDatabase) await client.get('/setup');
  return { t, world, client, n: 0 };
}

/** Every page that shows saved data, as a trust admin sees it (plus the sign-in page, which shows the trust's name). */
async function pagesShowingData(ctx: Ctx): Promise<[string, string][]> {
  const db = ctx.t.app.db;
  const viewer = ctx.world ? await signedIn(ctx.t.app, EMAIL.admin) : ctx.client;
  const urls = [
    '/',
    '/schools',
    '/admin',
    '/admin/settings',
    '/admin/people',
    '/admin/invitations',
    '/admin/calendar',
    '/displays',
    ...db
      .select({ id: wigsTable.id })
      .from(wigsTable)
      .all()
      .map(({ id }) => `/wigs/${id}`),
    ...db
      .select({ id: schools.id })
      .from(schools)
      .all()
      .flatMap(({ id }) => [`/schools/${id}`, `/admin/schools/${id}`, `/admin/schools/${id}/closures`]),
    ...db
      .select({ id: teams.id })
      .from(teams)
      .all()
      .flatMap(({ id }) => [`/teams/${id}`, `/admin/teams/${id}`]),
    ...db
      .select({ id: people.id })
      .from(people)
      .all()
      .map(({ id }) => `/admin/people/${id}`),
  ];
  const pages: [string, string][] = [];
  for (const url of urls) {
    const response = await viewer.get(url);
    expect(response.statusCode, `GET ${url}`).toBe(200);
    pages.push([url, response.body]);
  }
  pages.push(['/login (signed out)', (await new Client(ctx.t.app).get('/login')).body]);
  pages.push(['/ (the one who posted)', (await ctx.client.get('/')).body]);
  return pages;
}

/** Some column of some row holds exactly this value. */
const stored = (ctx: Ctx, value: string) =>
  Object.values(snapshot(ctx.t.app.db)).some((rows) =>
    rows.some((row) => Object.values(row as Record<string, unknown>).includes(value)),
  );

async function attempt(
  ctx: Ctx,
  form: FormCase,
  sent: Record<string, string>,
  label: string,
): Promise<'saved' | 'refused'> {
  const url = await form.url(ctx);
  ctx.n += 1;
  const before = snapshot(ctx.t.app.db);
  const owners = sessionOwners(ctx.t);
  const response = await ctx.client.post(url, sent, { headers: form.headers });
  const where = `${label}: ${response.statusCode}`;
  expect(response.statusCode, where).toBeLessThan(500);
  expectInert(response.body, where);

  if (response.statusCode >= 400) {
    expect(form.refusedStatus ?? [422], where).toContain(response.statusCode);
    expect(response.headers['content-type'], where).toMatch(/^text\/html/);
    expect(response.body, `${where} has a message by a field`).toMatch(/id="\w+-\w+-error"/);
    if (form.headers?.['hx-request-type'] === 'partial')
      expect(response.body.trimStart(), where).toMatch(/^<section id="team-members"/);
    for (const field of form.kept)
      if (sent[field])
        expect(response.body, `${where} keeps ${field}`).toContain(`value="${escapeHtml(sent[field]!)}"`);
    expect(snapshot(ctx.t.app.db), `${where} wrote nothing`).toEqual(before);
    expect(sessionOwners(ctx.t), `${where} signed nobody in`).toEqual(owners);
    return 'refused';
  }

  expect(response.statusCode, where).toBe(form.okStatus);
  for (const field of form.shown) {
    const value = sent[field]!.trim();
    if (value) expect(stored(ctx, value), `${label}: ${field} saved as typed`).toBe(true);
  }
  await form.afterSave?.(ctx, sent);
  return 'saved';
}

/** After saves: no page shows live markup, and each saved value is shown, escaped, somewhere. */
async function expectShownInert(ctx: Ctx, label: string, values: string[]) {
  const pages = await pagesShowingData(ctx);
  for (const [page, body] of pages) expectInert(body, `${label}, then GET ${page}`);
  for (const value of values)
    expect(
      pages.some(([, body]) => body.includes(escapeHtml(value))),
      `${label}: "${value.slice(0, 40)}" shown (escaped) on some page`,
    ).toBe(true);
}

describe.each(FORMS.map((f) => [f.title, f] as const))('%s', (_title, form) => {
  const opened: Ctx[] = [];
  const fresh = async () => {
    const ctx = await open(form);
    opened.push(ctx);
    return ctx;
  };
  afterEach(async () => {
    for (const ctx of opened.splice(0)) await ctx.t.close();
  });

  it.each(HOSTILE)(
    '%s in every field, then in each field alone: a message by the field and nothing written, or saved and shown inert',
    async (label, value) => {
      let ctx = await fresh();
      const variants: [string, Record<string, string>][] = [
        ['every field', Object.fromEntries(form.fields.map((f) => [f, form.hostile?.(f, value) ?? value]))],
        ...form.fields.map((f): [string, Record<string, string>] => [f, { [f]: form.hostile?.(f, value) ?? value }]),
      ];
      // Pages are checked once after the saves (each set-up has its own database, so is checked on its own).
      let saved: string[] | null = null;
      for (const [which, hostile] of variants) {
        if (form.emptyDatabase && ctx.n > 0) ctx = await fresh();
        const sent = { ...form.valid(ctx), ...hostile };
        if ((await attempt(ctx, form, sent, `${label} in ${which}`)) === 'saved') {
          saved = [...(saved ?? []), ...form.shown.map((f) => sent[f]!.trim()).filter(Boolean)];
          if (form.emptyDatabase) {
            await expectShownInert(ctx, `${label} in ${which}`, saved);
            saved = null;
          }
        }
      }
      if (saved) await expectShownInert(ctx, label, saved);
    },
  );

  it('duplicated fields, a JSON body, nested values and a missing body: never a 5xx, and a refusal writes nothing', async () => {
    const ctx = await fresh();
    const send = async (payload: string | undefined, contentType: string | undefined) => {
      const url = await form.url(ctx);
      ctx.n += 1;
      const token = await ctx.client.token();
      const headers: Record<string, string> = {
        cookie: [...ctx.client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'x-csrf-token': token,
        ...form.headers,
      };
      if (contentType) headers['content-type'] = contentType;
      const before = snapshot(ctx.t.app.db);
      const response = await ctx.t.app.inject({
        method: 'POST',
        url,
        headers,
        ...(payload === undefined ? {} : { payload }),
      });
      expect(response.statusCode, `${contentType} ${payload?.slice(0, 60)}`).toBeLessThan(500);
      expectInert(response.body, 'odd body');
      if (response.statusCode >= 400)
        expect(snapshot(ctx.t.app.db), `${response.statusCode} wrote nothing`).toEqual(before);
      return response;
    };
    const valid = form.valid(ctx);

    // name=a&name=b: a browser never sends it for these forms; refused as unreadable.
    const doubled = form.fields
      .flatMap((f) => [`${f}=${encodeURIComponent(valid[f]!)}`, `${f}=${encodeURIComponent(`${valid[f]}2`)}`])
      .join('&');
    expect((await send(doubled, 'application/x-www-form-urlencoded')).statusCode).toBe(400);
    // Values that are not text at all.
    expect(
      (await send(JSON.stringify({ ...valid, [form.fields[0]!]: { nested: 'object' } }), 'application/json'))
        .statusCode,
    ).toBe(400);
    expect(
      (await send(JSON.stringify({ ...valid, [form.fields[0]!]: ['a', 'b'] }), 'application/json')).statusCode,
    ).toBe(400);
    expect((await send('{"not json', 'application/json')).statusCode).toBe(400);
    // No body at all, and a form body with nothing in it.
    expect((await send(undefined, undefined)).statusCode).toBe(400);
    const empty = await send('', 'application/x-www-form-urlencoded');
    expect(empty.statusCode).toBeGreaterThanOrEqual(400);
    expect(empty.statusCode).toBeLessThan(500);
    // The same fields as JSON are read exactly as the form would be.
    const json = await send(JSON.stringify(form.valid(ctx)), 'application/json');
    expect(json.statusCode).toBe(form.okStatus);
  });
});

describe('hostile text outside the forms', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('GET /admin/people?q= — a hostile search is shown escaped, and an overlong one is refused with a 400', async () => {
    t = await createTestApp();
    await seedWorld(t.app.db);
    const admin = await signedIn(t.app, EMAIL.admin);
    for (const [, value] of HOSTILE) {
      const response = await admin.get(`/admin/people?q=${encodeURIComponent(value)}`);
      expect(response.statusCode).toBe(value.length > 200 ? 400 : 200);
      expectInert(response.body, `search for ${value.slice(0, 20)}`);
      if (value && value.length <= 200) expect(response.body).toContain(`value="${escapeHtml(value)}"`);
    }
  });

  it('POST /login — a next address that is not plain ASCII sends the person home instead of failing', async () => {
    t = await createTestApp();
    await seedWorld(t.app.db);
    const client = new Client(t.app);
    const response = await client.post('/login', { email: EMAIL.member, password: TEST_PASSWORD, next: '/王' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
    const again = await client.get(`/login?next=${encodeURIComponent('/Siân')}`);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/');
  });

  it('POST /admin/people/:personId — a saved hostile name stays inert in the htmx people list too', async () => {
    t = await createTestApp();
    const world = await seedWorld(t.app.db);
    const admin = await signedIn(t.app, EMAIL.admin);
    const name = '<div hx-get="/x" hx-trigger="load">';
    expect((await admin.post(`/admin/people/${world.person.noRole}`, { name, email: EMAIL.noRole })).statusCode).toBe(
      303,
    );
    expect(t.app.db.select().from(people).where(eq(people.id, world.person.noRole)).get()?.name).toBe(name);
    const list = await admin.get('/admin/people?q=div', { 'hx-request': 'true', 'hx-request-type': 'partial' });
    expect(list.statusCode).toBe(200);
    expect(list.body.trimStart()).toMatch(/^<div id="people-list"/);
    expectInert(list.body, 'people list partial');
    expect(list.body).toContain(escapeHtml(name));
  });
});

// Execution health and the calendar feed (issue 6): the period picker (a GET form) and the field-less feed forms.
describe('hostile input to the execution health and calendar feed forms', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('GET /teams/:teamId/health?period= — a hostile period falls back to the whole year and is shown nowhere; an overlong one is a 400', async () => {
    t = await createTestApp();
    const world = await seedWorld(t.app.db);
    const member = await signedIn(t.app, EMAIL.member);
    for (const [label, value] of HOSTILE) {
      const response = await member.get(`/teams/${world.teamA}/health?period=${encodeURIComponent(value)}`);
      if (value.length > 40) {
        expect(response.statusCode, label).toBe(400);
        continue;
      }
      expect(response.statusCode, label).toBe(200);
      expectInert(response.body, label);
      if (value) expect(response.body, label).not.toContain(`value="${escapeHtml(value)}"`);
    }
    expect((await member.get(`/teams/${world.teamA}/health?period=a&period=b`)).statusCode).toBeLessThan(500);
  });

  it('POST /teams/:teamId/calendar — extra hostile fields and odd bodies are ignored or refused, never a 5xx; one live feed at most', async () => {
    t = await createTestApp();
    const world = await seedWorld(t.app.db);
    const member = await signedIn(t.app, EMAIL.member);
    const url = `/teams/${world.teamA}/calendar`;
    for (const [label, value] of HOSTILE) {
      const response = await member.post(url, { teamId: value, personId: value, token: value });
      expect(response.statusCode, label).toBe(201);
      expectInert(response.body, label);
    }
    const token = await member.token();
    const cookie = [...member.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    for (const [payload, type] of [
      ['{"not json', 'application/json'],
      [JSON.stringify({ _csrf: token, personId: world.person.head }), 'application/json'],
      [undefined, undefined],
    ] as const) {
      const response = await t.app.inject({
        method: 'POST',
        url,
        headers: { cookie, 'x-csrf-token': token, ...(type ? { 'content-type': type } : {}) },
        ...(payload === undefined ? {} : { payload }),
      });
      expect(response.statusCode).toBeLessThan(500);
    }
    const feeds = snapshot(t.app.db).calendar_feeds as {
      personId?: number;
      person_id?: number;
      revokedAt?: number | null;
      revoked_at?: number | null;
    }[];
    expect(feeds.every((f) => (f.personId ?? f.person_id) === world.person.member)).toBe(true);
    expect(feeds.filter((f) => (f.revokedAt ?? f.revoked_at) == null)).toHaveLength(1);
    const stop = await member.post(`${url}/stop`, { teamId: '<script>alert(1)</script>' });
    expect(stop.statusCode).toBe(303);
  });
});
