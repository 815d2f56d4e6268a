// Fills an empty database with a plausible demo trust: five primary schools, trust-level teams, people in every role,
// and aligned WIGs with lead measures and the school weeks of history up to the week the seed runs in.
import { eq, placeholder } from 'drizzle-orm';
import { writeTransaction, type Db } from '../src/db/connection.ts';
import {
  academicYears,
  closures,
  lagReadings,
  leadDayEntries,
  leadEntries,
  leadMeasures,
  leadTargets,
  people,
  roleAssignments,
  schools,
  teams,
  terms,
  trustSettings,
  wigs,
  wigSessions,
  sessionAttendance,
  commitments,
  pathRequests,
} from '../src/db/schema.ts';
import type { RoleKind } from '../src/domain/access.ts';
import { activeTeamMeasures } from '../src/db/queries/weekly-update.ts';
import { sessionDate } from '../src/domain/cadence.ts';
import { commitmentWeek } from '../src/domain/commitments.ts';
import { recordAudit } from '../src/db/queries/audit.ts';
import {
  addDays,
  dayNumber,
  localDate,
  schoolDaysOfWeek,
  schoolWeeks,
  weekStart,
  zonedInstant,
  type IsoDate,
  type SchoolCalendar,
} from '../src/domain/calendar.ts';
import { targetForWeek, type TargetPeriod } from '../src/domain/lead-measures.ts';
import type { Direction } from '../src/domain/wig.ts';
import { demoYearFor, type DemoYear } from './demo-year.ts';

export const DEMO_PASSWORD = 'wigboard-demo';

/** The accounts the README lists: one per role, all with DEMO_PASSWORD. */
export const DEMO_ACCOUNTS = [
  { email: 'admin@wigboard.demo', name: 'Priya Shah', role: 'Trust admin' },
  { email: 'ceo@wigboard.demo', name: 'Margaret Okafor', role: 'CEO (trust leader)' },
  { email: 'til@wigboard.demo', name: 'Tom Whitfield', role: 'Trust Improvement Leader (trust leader)' },
  {
    email: 'sendco@wigboard.demo',
    name: 'Siân Pritchard',
    role: 'Trust SENDCO (trust leader; leads the Trust SENDCO network)',
  },
  { email: 'head@wigboard.demo', name: 'Daniel Achterberg', role: 'Headteacher of Ashcombe Primary (school leader)' },
  { email: 'lead@wigboard.demo', name: 'Zoë Marchetti', role: 'Year 6 lead at Ashcombe Primary (team leader)' },
  { email: 'teacher@wigboard.demo', name: 'Aaron Beckett', role: 'Year 6 teacher at Ashcombe Primary (team member)' },
] as const;

const SCHOOLS = [
  {
    name: 'Ashcombe Primary',
    urn: '142001',
    teams: ['Year 6', 'EYFS', 'Key Stage 1', 'Lower Key Stage 2', 'Inclusion and SEND'],
  },
  { name: 'Brookfield Primary', urn: '142002', teams: ['EYFS', 'Key Stage 1', 'Key Stage 2', 'Attendance team'] },
  { name: 'Castle Hill Primary', urn: '142003', teams: ['Early reading', 'Key Stage 1', 'Upper Key Stage 2'] },
  {
    name: 'Dunmore Church of England Primary',
    urn: '142004',
    teams: ['EYFS', 'Key Stage 1', 'Lower Key Stage 2', 'Upper Key Stage 2', 'Maths leads', 'Inclusion and SEND'],
  },
  {
    name: 'Elmwood Primary Academy',
    urn: '142005',
    teams: ['EYFS and Year 1', 'Years 2 to 4', 'Years 5 and 6', 'Writing team'],
  },
];
const TRUST_TEAMS = ['Trust SENDCO network', 'English Community of Practice', 'Trust leadership team'];

const FIRST = [
  'Amira',
  'Ben',
  'Chloe',
  'Dev',
  'Ellie',
  'Femi',
  'Grace',
  'Harvey',
  'Isla',
  'Jamal',
  'Keira',
  'Liam',
  'Maya',
  'Noah',
  'Olivia',
  'Priya',
  'Rhys',
  'Sofia',
  'Tariq',
  'Una',
  'Wei',
  'Yasmin',
  'Zain',
  'Bethan',
  'Callum',
  'Dilys',
  'Eoin',
  'Fatima',
  'Gwen',
  'Hamza',
];
const LAST = [
  'Adeyemi',
  'Brown',
  'Clarke',
  'Davies',
  'Evans',
  'Fraser',
  'Green',
  'Hughes',
  'Iqbal',
  'Jones',
  'Khan',
  'Lewis',
  'Morgan',
  'Nowak',
  'Owen',
  'Patel',
  'Quinn',
  'Roberts',
  'Singh',
  'Taylor',
  'Uddin',
  'Walsh',
  'Williams',
  'Young',
  'Zhang',
];

/** A small deterministic generator, so every demo database is the same. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\w]+/g, '.')
    .replace(/^\.+|\.+$/g, '');

export interface SeedSummary {
  schools: number;
  teams: number;
  people: number;
  wigs: number;
  leadMeasures: number;
  leadEntries: number;
  dayEntries: number;
  lagReadings: number;
  /** The school weeks with history: from the start of the autumn term up to, not including, the week of `today`. */
  historyWeeks: number;
}

/** Today's date where the demo trust is (Europe/London). */
export const demoToday = (): IsoDate => localDate(Date.now(), 'Europe/London');

/**
 * Seeds the demo trust into an empty database; every demo account gets the same (already hashed) password.
 * `today` decides the week the demo is "in": history fills the school weeks before it, this week is left to fill.
 */
export function seedDemo(db: Db, passwordHash: string, today: IsoDate = demoToday()): SeedSummary {
  const random = prng(2026);
  const year = demoYearFor(today);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  return writeTransaction(db, (tx) => {
    if (tx.select({ id: people.id }).from(people).limit(1).get())
      throw new Error('The database already has people in it; the demo seeds only an empty database.');
    tx.insert(trustSettings)
      .values({ id: 1, name: 'Stourside Primary Trust (demo)', timeZone: 'Europe/London', updatedAt: Date.now() })
      .run();

    const usedEmails = new Set<string>();
    const addPerson = (name: string, email: string) => {
      usedEmails.add(email);
      return tx.insert(people).values({ name, email, passwordHash }).returning({ id: people.id }).get().id;
    };
    const assign = (
      personId: number,
      role: RoleKind,
      where: { schoolId?: number; teamId?: number; title?: string } = {},
    ) =>
      tx
        .insert(roleAssignments)
        .values({
          personId,
          role,
          schoolId: where.schoolId ?? null,
          teamId: where.teamId ?? null,
          title: where.title ?? null,
        })
        .run();
    const newPerson = (domain: string) => {
      for (;;) {
        const name = `${pick(FIRST)} ${pick(LAST)}`;
        const email = `${slug(name)}@${domain}`;
        if (!usedEmails.has(email)) return addPerson(name, email);
      }
    };

    const account = Object.fromEntries(
      DEMO_ACCOUNTS.map((a) => [a.email.split('@')[0], addPerson(a.name, a.email)]),
    ) as Record<string, number>;
    assign(account.admin!, 'trust_admin', { title: 'Trust data and systems manager' });
    assign(account.ceo!, 'trust_leader', { title: 'CEO' });
    assign(account.til!, 'trust_leader', { title: 'Trust Improvement Leader' });
    assign(account.sendco!, 'trust_leader', { title: 'Trust SENDCO' });

    const yearId = tx
      .insert(academicYears)
      .values({ name: year.name, startDate: year.startDate, endDate: year.endDate })
      .returning({ id: academicYears.id })
      .get().id;
    for (const term of year.terms)
      tx.insert(terms)
        .values({ academicYearId: yearId, ...term })
        .run();
    for (const closure of year.closures)
      tx.insert(closures)
        .values({ schoolId: null, ...closure })
        .run();
    const schoolIds = new Map<string, number>();

    let teamCount = 0;
    const sendcos: number[] = [];
    const seededTeams: SeededTeam[] = [];
    const heads = new Map<number, number>();
    for (const [index, school] of SCHOOLS.entries()) {
      const schoolId = tx
        .insert(schools)
        .values({ name: school.name, urn: school.urn })
        .returning({ id: schools.id })
        .get().id;
      schoolIds.set(school.name, schoolId);
      const domain = `${slug(school.name.split(' ')[0]!)}.wigboard.demo`;
      const head = index === 0 ? account.head! : newPerson(domain);
      assign(head, 'school_leader', { schoolId, title: 'Headteacher' });
      heads.set(schoolId, head);
      assign(newPerson(domain), 'school_leader', { schoolId, title: 'Deputy headteacher' });
      for (const [teamIndex, teamName] of school.teams.entries()) {
        const teamId = tx
          .insert(teams)
          .values({
            schoolId,
            name: teamName,
            sessionWeekday: 1 + ((index + teamIndex) % 5),
            sessionTime: ['08:00', '08:15', '15:30', '15:45'][teamIndex % 4]!,
            sessionMinutes: teamIndex % 2 ? 30 : 20,
          })
          .returning({ id: teams.id })
          .get().id;
        teamCount++;
        const demoTeam = index === 0 && teamIndex === 0;
        const leaderId = demoTeam ? account.lead! : newPerson(domain);
        assign(leaderId, 'team_leader', { teamId, title: `${teamName} lead` });
        const seeded: SeededTeam = {
          id: teamId,
          schoolId,
          school: school.name,
          name: teamName,
          leaderId,
          memberIds: [],
        };
        seededTeams.push(seeded);
        if (demoTeam) {
          assign(account.teacher!, 'team_member', { teamId, title: 'Year 6 teacher' });
          seeded.memberIds.push(account.teacher!);
        }
        const size = 3 + Math.floor(random() * 4);
        for (let i = 0; i < size; i++) {
          const member = newPerson(domain);
          assign(member, 'team_member', { teamId, title: i === 0 ? 'Teaching assistant' : 'Class teacher' });
          seeded.memberIds.push(member);
          if (teamName === 'Inclusion and SEND' && i === 0) sendcos.push(member);
        }
      }
    }
    for (const { school, ...closure } of year.schoolClosures)
      tx.insert(closures)
        .values({ schoolId: schoolIds.get(school)!, ...closure })
        .run();
    for (const [i, name] of TRUST_TEAMS.entries()) {
      const teamId = tx
        .insert(teams)
        .values({ schoolId: null, name, sessionWeekday: 3 + (i % 2), sessionTime: '16:00', sessionMinutes: 30 })
        .returning({ id: teams.id })
        .get().id;
      teamCount++;
      const seeded: SeededTeam = { id: teamId, schoolId: null, school: null, name, leaderId: 0, memberIds: [] };
      seededTeams.push(seeded);
      if (name === 'Trust SENDCO network') {
        assign(account.sendco!, 'team_leader', { teamId, title: 'Trust SENDCO' });
        seeded.leaderId = account.sendco!;
        for (const member of sendcos) assign(member, 'team_member', { teamId, title: 'School SENDCO' });
        seeded.memberIds.push(...sendcos);
      } else if (name === 'Trust leadership team') {
        assign(account.ceo!, 'team_leader', { teamId, title: 'CEO' });
        assign(account.til!, 'team_member', { teamId, title: 'Trust Improvement Leader' });
        seeded.leaderId = account.ceo!;
        seeded.memberIds.push(account.til!);
      } else {
        assign(account.til!, 'team_leader', { teamId, title: 'English lead' });
        seeded.leaderId = account.til!;
        for (let k = 0; k < 4; k++) {
          const member = newPerson('trust.wigboard.demo');
          assign(member, 'team_member', { teamId, title: 'English lead' });
          seeded.memberIds.push(member);
        }
      }
    }
    const history = seedWigs(tx, {
      today,
      year,
      teams: seededTeams,
      heads,
      schoolIds,
      ceo: account.ceo!,
      til: account.til!,
      teacher: account.teacher!,
    });
    seedSessions(tx, {
      today,
      year,
      teams: seededTeams,
      heads,
      til: account.til!,
      ceo: account.ceo!,
      lead: account.lead!,
    });
    recordAudit(tx, { actorId: null, action: 'seed_demo', entity: 'trust_settings', entityId: 1 });
    return { schools: SCHOOLS.length, teams: teamCount, people: usedEmails.size, ...history };
  });
}

// ——— WIGs, lead measures and their history ———

interface SeededTeam {
  id: number;
  schoolId: number | null;
  school: string | null;
  name: string;
  leaderId: number;
  memberIds: number[];
}

/** How a team is doing: it decides how often its lead measures meet target and where its lag measure is against the path. */
type Profile = 'winning' | 'mixed' | 'losing';
type Theme = 'attainment' | 'attendance';

interface LeadPlan {
  name: string;
  kind: 'number' | 'daily';
  perPerson: boolean;
  unit: string;
  target: number;
  /** A raised target from this many school weeks in (the weeks before keep the first one). */
  raise?: { target: number; afterWeeks: number };
}

interface WigPlan {
  /** "{team}" is replaced with the team's name. */
  lagName: string;
  unit: string;
  direction: Direction;
  baseline: number;
  target: number;
  theme: Theme;
  leads: readonly LeadPlan[];
}

const individual = (name: string, unit: string, target: number, raise?: LeadPlan['raise']): LeadPlan => ({
  name,
  kind: 'number',
  perPerson: true,
  unit,
  target,
  ...(raise ? { raise } : {}),
});
const teamNumber = (name: string, unit: string, target: number): LeadPlan => ({
  name,
  kind: 'number',
  perPerson: false,
  unit,
  target,
});
/** A daily yes/no standard; its target is the share of school days kept, in per cent. */
const daily = (name: string, perPerson = true, target = 100): LeadPlan => ({
  name,
  kind: 'daily',
  perPerson,
  unit: '%',
  target,
});

const TRUST_WIGS: Record<Theme, WigPlan> = {
  attainment: {
    lagName: 'Pupils at the expected standard in reading, writing and maths combined (KS2)',
    unit: '%',
    direction: 'increase',
    baseline: 61,
    target: 70,
    theme: 'attainment',
    leads: [
      teamNumber('School visits by a Trust Improvement Leader focused on reading', 'visits', 3),
      teamNumber('Coaching conversations with English and maths leads', 'conversations', 4),
    ],
  },
  attendance: {
    lagName: 'Persistent absence (pupils missing 10% or more of sessions)',
    unit: '%',
    direction: 'decrease',
    baseline: 18,
    target: 12,
    theme: 'attendance',
    leads: [teamNumber('Attendance case reviews with school attendance leads', 'reviews', 5)],
  },
};

const SCHOOL_WIG_LEADS: Record<Theme, readonly LeadPlan[]> = {
  attainment: [
    teamNumber('Learning walks focused on reading', 'walks', 3),
    daily('Whole-school reading time held every day', false),
  ],
  attendance: [
    daily('Headteacher or deputy on the gate every morning', false),
    teamNumber('Attendance meetings with families', 'meetings', 4),
  ],
};

/** Each school's own WIGs: [theme, baseline, target, profile]. Every school serves the trust's attainment WIG; some its attendance WIG too. */
const SCHOOL_WIGS: Record<string, readonly (readonly [Theme, number, number, Profile])[]> = {
  'Ashcombe Primary': [
    ['attainment', 59, 70, 'winning'],
    ['attendance', 17, 11, 'mixed'],
  ],
  'Brookfield Primary': [
    ['attainment', 55, 66, 'mixed'],
    ['attendance', 21, 14, 'losing'],
  ],
  'Castle Hill Primary': [['attainment', 63, 72, 'losing']],
  'Dunmore Church of England Primary': [
    ['attainment', 58, 70, 'mixed'],
    ['attendance', 16, 11, 'winning'],
  ],
  'Elmwood Primary Academy': [['attainment', 66, 75, 'winning']],
};

const retrievalQuiz = daily('Retrieval quiz at the start of every maths lesson');
const TEAM_TEMPLATES = {
  year6Reading: {
    lagName: 'Year 6 pupils at the expected standard in reading',
    unit: '%',
    direction: 'increase',
    baseline: 64,
    target: 80,
    theme: 'attainment',
    leads: [
      individual('Reading conferences with target readers', 'conferences', 4, { target: 5, afterWeeks: 4 }),
      teamNumber('Parent conferences held', 'conferences', 3),
      retrievalQuiz,
    ],
  },
  earlyYears: {
    lagName: 'Reception children on track for a good level of development',
    unit: '%',
    direction: 'increase',
    baseline: 62,
    target: 75,
    theme: 'attainment',
    leads: [
      individual('Phonics keep-up sessions with target children', 'sessions', 4),
      daily('Story time with talk prompts every day'),
    ],
  },
  phonics: {
    lagName: 'Year 1 pupils on track to pass the phonics screening check',
    unit: '%',
    direction: 'increase',
    baseline: 70,
    target: 85,
    theme: 'attainment',
    leads: [
      individual('Keep-up phonics sessions', 'sessions', 5),
      daily('Phonics lesson taught in full every day'),
      teamNumber('Reading volunteer sessions held', 'sessions', 6),
    ],
  },
  timesTables: {
    lagName: 'Year 4 pupils scoring 20 or more in a multiplication tables check practice',
    unit: '%',
    direction: 'increase',
    baseline: 45,
    target: 70,
    theme: 'attainment',
    leads: [individual('Times-tables practice with target pupils', 'sessions', 4), retrievalQuiz],
  },
  writing: {
    lagName: 'Year 6 pupils at the expected standard in writing',
    unit: '%',
    direction: 'increase',
    baseline: 60,
    target: 74,
    theme: 'attainment',
    leads: [
      individual('Feedback conferences on extended writing', 'conferences', 5),
      teamNumber('Writing moderation sessions held', 'sessions', 1),
    ],
  },
  sendAttendance: {
    lagName: 'Pupils with SEND who are persistently absent',
    unit: '%',
    direction: 'decrease',
    baseline: 26,
    target: 17,
    theme: 'attendance',
    leads: [
      teamNumber('Attendance meetings with families of pupils with SEND', 'meetings', 3),
      daily('First-day absence call made for every pupil with SEND', false),
    ],
  },
  attendanceTeam: {
    lagName: 'Pupils in Years 3 to 6 who are persistently absent',
    unit: '%',
    direction: 'decrease',
    baseline: 22,
    target: 14,
    theme: 'attendance',
    leads: [
      daily('First-day absence calls made before 10am', false),
      teamNumber('Home visits to families of persistently absent pupils', 'visits', 4),
    ],
  },
  classAttendance: {
    lagName: 'Pupils in {team} who are persistently absent',
    unit: '%',
    direction: 'decrease',
    baseline: 19,
    target: 12,
    theme: 'attendance',
    leads: [
      individual('Positive phone calls home to families of target pupils', 'calls', 2),
      daily('Meet and greet at the classroom door every morning'),
    ],
  },
  sendcoNetwork: {
    lagName: 'Pupils with SEND across the trust who are persistently absent',
    unit: '%',
    direction: 'decrease',
    baseline: 27,
    target: 18,
    theme: 'attendance',
    leads: [
      individual('Attendance support plans reviewed with families', 'plans', 3),
      teamNumber('Network case discussions held', 'discussions', 2),
    ],
  },
  englishNetwork: {
    lagName: 'Year 6 pupils at the expected standard in writing (trust moderation)',
    unit: '%',
    direction: 'increase',
    baseline: 63,
    target: 72,
    theme: 'attainment',
    leads: [
      individual('Coaching sessions with class teachers on writing', 'sessions', 2),
      teamNumber('Cross-school moderation samples reviewed', 'samples', 10),
    ],
  },
} as const satisfies Record<string, WigPlan>;
type TemplateKey = keyof typeof TEAM_TEMPLATES;

/** Each team's active WIGs ("School|Team", or "|Team" for a trust team) and how it is doing. */
const TEAM_WIGS: Record<string, readonly (readonly [TemplateKey, Profile])[]> = {
  'Ashcombe Primary|Year 6': [['year6Reading', 'winning']],
  'Ashcombe Primary|EYFS': [['earlyYears', 'mixed']],
  'Ashcombe Primary|Key Stage 1': [
    ['phonics', 'losing'],
    ['classAttendance', 'mixed'],
  ],
  'Ashcombe Primary|Lower Key Stage 2': [['timesTables', 'winning']],
  'Ashcombe Primary|Inclusion and SEND': [['sendAttendance', 'mixed']],
  'Brookfield Primary|EYFS': [['earlyYears', 'winning']],
  'Brookfield Primary|Key Stage 1': [['phonics', 'mixed']],
  'Brookfield Primary|Key Stage 2': [
    ['writing', 'losing'],
    ['classAttendance', 'losing'],
  ],
  'Brookfield Primary|Attendance team': [['attendanceTeam', 'winning']],
  'Castle Hill Primary|Early reading': [['phonics', 'winning']],
  'Castle Hill Primary|Upper Key Stage 2': [['writing', 'losing']],
  'Dunmore Church of England Primary|EYFS': [['earlyYears', 'mixed']],
  'Dunmore Church of England Primary|Key Stage 1': [['phonics', 'winning']],
  'Dunmore Church of England Primary|Lower Key Stage 2': [
    ['timesTables', 'losing'],
    ['classAttendance', 'winning'],
  ],
  'Dunmore Church of England Primary|Upper Key Stage 2': [['writing', 'mixed']],
  'Dunmore Church of England Primary|Inclusion and SEND': [['sendAttendance', 'winning']],
  'Elmwood Primary Academy|EYFS and Year 1': [['phonics', 'losing']],
  'Elmwood Primary Academy|Years 2 to 4': [['timesTables', 'mixed']],
  'Elmwood Primary Academy|Years 5 and 6': [['writing', 'winning']],
  '|Trust SENDCO network': [['sendcoNetwork', 'winning']],
  '|English Community of Practice': [['englishNetwork', 'losing']],
};

/** Teams still working out their WIG: a draft (one of them vetoed by the headteacher, with the reason the team sees). */
const TEAM_DRAFTS: Record<
  string,
  {
    lagName: string;
    unit: string;
    direction: Direction | null;
    baseline: number | null;
    target: number | null /** The demo WIGs' deadline, or none yet. */;
    hasDeadline: boolean;
    vetoReason?: string;
  }
> = {
  'Castle Hill Primary|Key Stage 1': {
    lagName: 'Year 2 pupils reading at the expected standard',
    unit: '%',
    direction: 'increase',
    baseline: 65,
    target: 80,
    hasDeadline: false,
  },
  'Dunmore Church of England Primary|Maths leads': {
    lagName: 'Year 6 pupils at the expected standard in maths',
    unit: '%',
    direction: 'increase',
    baseline: 68,
    target: null,
    hasDeadline: false,
  },
  'Elmwood Primary Academy|Writing team': {
    lagName: 'Pupils using joined handwriting in their books',
    unit: '%',
    direction: 'increase',
    baseline: 40,
    target: 80,
    hasDeadline: true,
    vetoReason:
      'Handwriting is presentation, not the writing standard our school WIG is about. Choose a lag measure that moves writing outcomes, such as Year 6 pupils at the expected standard in moderated writing, and bring it back to me.',
  },
};

const PROFILES: Record<Profile, { meet: number; keep: number; missWeek: number; lag: number }> = {
  // meet: chance a weekly number meets its target; keep: chance a daily standard is kept; missWeek: chance a person enters nothing
  // for a week; lag: progress of the lag measure as a multiple of the straight path from X to Y.
  winning: { meet: 0.9, keep: 0.95, missWeek: 0.03, lag: 1.7 },
  mixed: { meet: 0.62, keep: 0.78, missWeek: 0.07, lag: 0.95 },
  losing: { meet: 0.25, keep: 0.5, missWeek: 0.14, lag: 0.25 },
};

interface SeedWigsInput {
  today: IsoDate;
  year: DemoYear;
  teams: readonly SeededTeam[];
  heads: ReadonlyMap<number, number>;
  schoolIds: ReadonlyMap<string, number>;
  ceo: number;
  til: number;
  teacher: number;
}

/** The demo year as a school keeps it (the trust's terms and closures, and the school's own), without reading the database. */
function demoCalendar(year: DemoYear, school: string | null): SchoolCalendar {
  const toClosure = (c: { kind: string; name: string; startDate: string; endDate: string }) => ({
    kind: c.kind as SchoolCalendar['closures'][number]['kind'],
    name: c.name,
    start: c.startDate,
    end: c.endDate,
  });
  return {
    terms: year.terms.map((t) => ({ start: t.startDate, end: t.endDate })),
    closures: [
      ...year.closures.map(toClosure),
      ...year.schoolClosures.filter((c) => c.school === school).map(toClosure),
    ],
  };
}

/** The WIGs of the demo trust, aligned trust → school → team, with lead measures and history before the week of `today`. */
function seedWigs(tx: Db, input: SeedWigsInput): Omit<SeedSummary, 'schools' | 'teams' | 'people'> {
  const random = prng(4_2026);
  const tz = 'Europe/London';
  const counts = { wigs: 0, leadMeasures: 0, leadEntries: 0, dayEntries: 0, lagReadings: 0, historyWeeks: 0 };
  const { year } = input;
  const WIG_START = year.wigStart;
  const WIG_DEADLINE = year.wigDeadline;
  const setupAt = zonedInstant(year.startDate, '16:00', tz);

  // The week the demo is in, kept inside the academic year; history is every school week before it.
  const clamped =
    input.today < year.startDate ? year.startDate : input.today > year.endDate ? year.endDate : input.today;
  const currentWeek = weekStart(clamped);
  const calendars = new Map<
    string | null,
    { calendar: SchoolCalendar; weeks: IsoDate[]; days: Map<IsoDate, IsoDate[]> }
  >();
  const calendarOf = (school: string | null) => {
    let found = calendars.get(school);
    if (!found) {
      const calendar = demoCalendar(year, school);
      const weeks =
        currentWeek <= year.terms[0]!.startDate
          ? []
          : schoolWeeks({ start: year.terms[0]!.startDate, end: addDays(currentWeek, -1) }, calendar);
      found = { calendar, weeks, days: new Map(weeks.map((w) => [w, schoolDaysOfWeek(w, calendar)])) };
      calendars.set(school, found);
    }
    return found;
  };
  counts.historyWeeks = calendarOf(null).weeks.length;

  const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  // Instants in the trust's time zone: midnight of each date once, then minutes on from there.
  const midnights = new Map<IsoDate, number>();
  const at = (date: IsoDate, minutes: number) => {
    let midnight = midnights.get(date);
    if (midnight === undefined) {
      midnight = zonedInstant(date, '00:00', tz);
      midnights.set(date, midnight);
    }
    return midnight + minutes * 60_000;
  };

  const insertTarget = tx
    .insert(leadTargets)
    .values({
      leadMeasureId: placeholder('measure'),
      fromWeek: placeholder('fromWeek'),
      target: placeholder('target'),
      setBy: placeholder('by'),
      setAt: placeholder('at'),
    })
    .prepare();
  const insertEntry = tx
    .insert(leadEntries)
    .values({
      leadMeasureId: placeholder('measure'),
      week: placeholder('week'),
      personId: placeholder('person'),
      value: placeholder('value'),
      enteredBy: placeholder('by'),
      enteredAt: placeholder('at'),
    })
    .prepare();
  const insertDay = tx
    .insert(leadDayEntries)
    .values({
      leadMeasureId: placeholder('measure'),
      date: placeholder('date'),
      personId: placeholder('person'),
      kept: placeholder('kept'),
      enteredBy: placeholder('by'),
      enteredAt: placeholder('at'),
    })
    .prepare();
  const insertReading = tx
    .insert(lagReadings)
    .values({
      wigId: placeholder('wig'),
      date: placeholder('date'),
      value: placeholder('value'),
      note: placeholder('note'),
      enteredBy: placeholder('by'),
      enteredAt: placeholder('at'),
    })
    .prepare();

  // Some people are steadier than others; the demo teacher always fills in their numbers.
  const bias = new Map<number, number>();
  const biasOf = (personId: number) => {
    let b = bias.get(personId);
    if (b === undefined) {
      b = personId === input.teacher ? 0.05 : -0.12 + random() * 0.2;
      bias.set(personId, b);
    }
    return b;
  };
  const chance = (p: number) => random() < Math.min(0.99, Math.max(0.01, p));

  interface Owner {
    level: 'trust' | 'school' | 'team';
    schoolId: number | null;
    teamId: number | null;
    school: string | null;
    /** Who keeps the WIG: enters its readings and its whole-team numbers, and sets its targets. */
    leaderId: number;
    /** Who set the WIG, when not its leader (the CEO sets the trust's). */
    createdBy?: number;
    /** Who enters per-person numbers: the team's people (nobody for a school or trust WIG, whose measures are the whole school's or trust's). */
    peopleIds: readonly number[];
  }

  const createWig = (
    owner: Owner,
    plan: WigPlan,
    parentId: number | null,
    profile: Profile,
    jitter: number,
  ): number => {
    const baseline = plan.baseline + jitter;
    const target = plan.target + jitter;
    const wigId = tx
      .insert(wigs)
      .values({
        level: owner.level,
        schoolId: owner.schoolId,
        teamId: owner.teamId,
        parentId,
        lagName: plan.lagName.replace(
          '{team}',
          owner.level === 'team' ? (input.teams.find((t) => t.id === owner.teamId)?.name ?? 'the team') : 'the school',
        ),
        unit: plan.unit,
        direction: plan.direction,
        baseline,
        target,
        startDate: WIG_START,
        deadline: WIG_DEADLINE,
        status: 'active',
        createdBy: owner.createdBy ?? owner.leaderId,
        createdAt: setupAt,
        updatedAt: setupAt,
      })
      .returning({ id: wigs.id })
      .get().id;
    counts.wigs++;
    const { weeks: allWeeks, days, calendar } = calendarOf(owner.school);
    const slot =
      owner.teamId === null
        ? null
        : (tx
            .select({
              sessionWeekday: teams.sessionWeekday,
              sessionTime: teams.sessionTime,
              sessionMinutes: teams.sessionMinutes,
            })
            .from(teams)
            .where(eq(teams.id, owner.teamId))
            .get() ?? null);
    const weeks = allWeeks.filter((w) => w >= weekStart(WIG_START) && w <= WIG_DEADLINE);
    const odds = PROFILES[profile];

    // Lead measures, their targets from the WIG's first week, and a number for every person (or the team) and week.
    for (const [position, lead] of plan.leads.entries()) {
      const measureId = tx
        .insert(leadMeasures)
        .values({
          wigId,
          name: lead.name,
          kind: lead.kind,
          perPerson: lead.perPerson,
          unit: lead.unit,
          direction: 'increase',
          status: 'active',
          position,
          createdAt: setupAt,
        })
        .returning({ id: leadMeasures.id })
        .get().id;
      counts.leadMeasures++;
      const periods: TargetPeriod[] = [{ fromWeek: weekStart(WIG_START), target: lead.target }];
      if (lead.raise && allWeeks[lead.raise.afterWeeks])
        periods.push({ fromWeek: allWeeks[lead.raise.afterWeeks]!, target: lead.raise.target });
      for (const p of periods)
        insertTarget.run({
          measure: measureId,
          fromWeek: p.fromWeek,
          target: p.target,
          by: owner.leaderId,
          at: p.fromWeek === periods[0]!.fromWeek ? setupAt : at(addDays(p.fromWeek, -3), 17 * 60),
        });

      const who = lead.perPerson && owner.peopleIds.length > 0 ? owner.peopleIds : [null];
      for (const week of weeks) {
        const schoolDays = days.get(week)!;
        const lastDay = schoolDays.at(-1)!;
        // A target change starts from the week after it is made: this week is measured against the one in force.
        const weekTarget = targetForWeek(periods, week)!;
        for (const personId of who) {
          const steady = personId === null ? 0.05 : biasOf(personId);
          // A whole week missing (illness, a trip): never the demo teacher, whose history is complete.
          if (personId !== input.teacher && chance(odds.missWeek - steady / 4)) continue;
          const by = personId ?? owner.leaderId;
          if (lead.kind === 'daily') {
            for (const date of schoolDays) {
              if (personId !== input.teacher && chance(0.015)) continue;
              insertDay.run({
                measure: measureId,
                date,
                person: personId,
                kept: chance(odds.keep + steady) ? 1 : 0,
                by,
                at: at(date, 15 * 60 + 30 + Math.floor(random() * 90)),
              });
              counts.dayEntries++;
            }
          } else {
            const meets = chance(odds.meet + steady);
            const value = meets
              ? weekTarget + (chance(0.5) ? 0 : Math.ceil(random() * Math.max(1, weekTarget * 0.4)))
              : Math.max(0, weekTarget - 1 - Math.floor(random() * weekTarget * 0.6));
            // Winning teams enter before their WIG session (so the session reviews them); the others often after it.
            const late = profile !== 'winning' && chance(0.3);
            const session = slot ? sessionDate(slot, week, calendar) : null;
            const onTime = session
              ? at(session, minutesOf(slot!.sessionTime) - 20 - Math.floor(random() * 600))
              : at(lastDay, 15 * 60 + Math.floor(random() * 150));
            insertEntry.run({
              measure: measureId,
              week,
              person: personId,
              value,
              by,
              at: late ? at(addDays(week, 7), 8 * 60 + Math.floor(random() * 60)) : onTime,
            });
            counts.leadEntries++;
          }
        }
      }
    }

    // Lag readings: a baseline at the start, then every three or four school weeks, ahead of or behind the straight path.
    const span = dayNumber(WIG_DEADLINE) - dayNumber(WIG_START);
    const gap = target - baseline;
    const noteFor = plan.theme === 'attendance' ? 'From the attendance register' : 'Teacher assessment';
    if (WIG_START <= input.today) {
      insertReading.run({
        wig: wigId,
        date: WIG_START,
        value: baseline,
        note: 'Baseline: summer term results',
        by: owner.leaderId,
        at: setupAt,
      });
      counts.lagReadings++;
    }
    for (let index = 2, step = 4; index < weeks.length; index += step, step = step === 4 ? 3 : 4) {
      const date = days.get(weeks[index]!)!.at(-1)!;
      const path = gap * ((dayNumber(date) - dayNumber(WIG_START)) / span);
      const value = Math.round((baseline + path * odds.lag + gap * 0.02 * (random() - 0.5)) * 10) / 10;
      insertReading.run({
        wig: wigId,
        date,
        value,
        note: chance(0.6) ? noteFor : null,
        by: owner.leaderId,
        at: at(date, 16 * 60 + Math.floor(random() * 60)),
      });
      counts.lagReadings++;
    }
    return wigId;
  };

  // The trust's WIGs, set by the CEO; their measures are the trust leaders' own, entered by the Trust Improvement Leader.
  const trustOwner: Owner = {
    level: 'trust',
    schoolId: null,
    teamId: null,
    school: null,
    leaderId: input.til,
    createdBy: input.ceo,
    peopleIds: [],
  };
  const trustWigs = {} as Record<Theme, number>;
  for (const theme of ['attainment', 'attendance'] as const)
    trustWigs[theme] = createWig(trustOwner, TRUST_WIGS[theme], null, 'mixed', 0);

  // Each school's WIGs serve the trust's, set and kept by the headteacher.
  const schoolWigs = new Map<number, Partial<Record<Theme, number>>>();
  for (const [school, plans] of Object.entries(SCHOOL_WIGS)) {
    const schoolId = input.schoolIds.get(school)!;
    const owned: Partial<Record<Theme, number>> = {};
    for (const [theme, baseline, target, profile] of plans) {
      const plan: WigPlan = {
        ...TRUST_WIGS[theme],
        lagName:
          theme === 'attainment'
            ? 'Year 6 pupils at the expected standard in reading, writing and maths combined'
            : TRUST_WIGS[theme].lagName,
        baseline,
        target,
        leads: SCHOOL_WIG_LEADS[theme],
      };
      owned[theme] = createWig(
        { level: 'school', schoolId, teamId: null, school, leaderId: input.heads.get(schoolId)!, peopleIds: [] },
        plan,
        trustWigs[theme],
        profile,
        0,
      );
    }
    schoolWigs.set(schoolId, owned);
  }

  // Teams' WIGs serve their school's WIG of the same kind, or the trust's where the school has none.
  for (const team of input.teams) {
    const key = `${team.school ?? ''}|${team.name}`;
    const owner: Owner = {
      level: 'team',
      schoolId: team.schoolId,
      teamId: team.id,
      school: team.school,
      leaderId: team.leaderId,
      peopleIds: [team.leaderId, ...team.memberIds],
    };
    for (const [template, profile] of TEAM_WIGS[key] ?? []) {
      const plan = TEAM_TEMPLATES[template];
      const parent =
        (team.schoolId !== null ? schoolWigs.get(team.schoolId)?.[plan.theme] : undefined) ?? trustWigs[plan.theme];
      createWig(owner, plan, parent, profile, Math.floor(random() * 7) - 3);
    }
    const draft = TEAM_DRAFTS[key];
    if (draft) {
      const parent =
        team.schoolId !== null
          ? (schoolWigs.get(team.schoolId)?.attainment ?? trustWigs.attainment)
          : trustWigs.attainment;
      const vetoedBy = draft.vetoReason && team.schoolId !== null ? input.heads.get(team.schoolId)! : null;
      const vetoedAt = vetoedBy ? at(addDays(currentWeek, -5), 17 * 60) : null;
      tx.insert(wigs)
        .values({
          level: 'team',
          schoolId: team.schoolId,
          teamId: team.id,
          parentId: parent,
          lagName: draft.lagName,
          unit: draft.unit,
          direction: draft.direction,
          baseline: draft.baseline,
          target: draft.target,
          startDate: WIG_START,
          deadline: draft.hasDeadline ? WIG_DEADLINE : null,
          status: 'draft',
          vetoReason: draft.vetoReason ?? null,
          vetoedBy,
          vetoedAt,
          createdBy: team.leaderId,
          createdAt: setupAt,
          updatedAt: vetoedAt ?? setupAt,
        })
        .run();
      counts.wigs++;
    }
  }
  return counts;
}

// ——— Weekly WIG sessions: attendance, reviews, commitments and their outcomes, requests for help ———

const WORKED = [
  'Doing the keep-up sessions straight after lunch: no one missed them.',
  'Pairing new staff with someone who has done it before.',
  'Checking the tally together on Friday kept everyone honest.',
  'Short, planned phone calls home rather than long ones.',
  'Putting the routine on the timetable instead of fitting it in.',
  'Sharing one good example in the briefing each morning.',
];
const DID_NOT_WORK = [
  'Wednesday afternoons: trips and assemblies keep getting in the way.',
  'Leaving the numbers until Friday evening; we forgot half of them.',
  'Cover was pulled twice, so two sessions did not happen.',
  'Calls after four o’clock: parents did not pick up.',
  'Trying to do it with the whole class rather than the target group.',
  '',
];
const COMMITMENT_TEXTS = [
  (m: string) => `Hold three sessions of ${m} with my target group`,
  (m: string) => `Model ${m} for the new teaching assistant`,
  (m: string) => `Plan ${m} into Tuesday and Thursday mornings`,
  (m: string) => `Check the ${m} tally with my partner on Friday`,
  (m: string) => `Call two parents about ${m} at home`,
  (m: string) => `Share one ${m} example in Monday's briefing`,
  (m: string) => `Book the library slot for ${m} on Wednesday`,
];
const OUTCOME_NOTES = [
  'Cover was pulled on Thursday',
  'Two children were absent all week',
  'Ran out of time after the trip',
  'Only managed it on one day',
  'Parents evening took the slot',
];
const PATH_TEXTS = [
  'Cover for Thursday afternoon so the team can moderate together',
  'A second laptop trolley for the Year 6 corridor',
  'Move the Wednesday assembly so keep-up sessions can run',
  'Time with the trust English lead to check our moderation',
  'Budget for reading books at the right level for the target group',
  'Release time to visit a school where this is working',
];
const RESOLUTIONS = [
  'Cover booked with the supply agency',
  'Agreed at SLT: done from next week',
  'Sorted: see the email from the office',
  null,
];

interface SeedSessionsInput {
  today: IsoDate;
  year: DemoYear;
  teams: readonly SeededTeam[];
  heads: ReadonlyMap<number, number>;
  til: number;
  ceo: number;
  /** The demo team leader (Year 6 at Ashcombe): their team always held last week's session, with a request for help still open. */
  lead: number;
}

/**
 * About twelve school weeks of sessions for every team with active WIGs, before the week of `today` (this week's is left to
 * run): most held, some missed; each person accounts for last week's commitments and makes one or two new ones.
 */
function seedSessions(tx: Db, input: SeedSessionsInput): void {
  const random = prng(6_2026);
  const chance = (p: number) => random() < p;
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const tz = 'Europe/London';
  const { year } = input;
  const clamped =
    input.today < year.startDate ? year.startDate : input.today > year.endDate ? year.endDate : input.today;
  const currentWeek = weekStart(clamped);

  const insertSession = tx
    .insert(wigSessions)
    .values({
      teamId: placeholder('team'),
      week: placeholder('week'),
      heldAt: placeholder('at'),
      worked: placeholder('worked'),
      didNotWork: placeholder('didNotWork'),
      recordedBy: placeholder('by'),
      updatedAt: placeholder('at'),
    })
    .returning({ id: wigSessions.id })
    .prepare();
  const insertAttendance = tx
    .insert(sessionAttendance)
    .values({ sessionId: placeholder('session'), personId: placeholder('person'), present: placeholder('present') })
    .prepare();
  const insertCommitment = tx
    .insert(commitments)
    .values({
      teamId: placeholder('team'),
      personId: placeholder('person'),
      week: placeholder('week'),
      leadMeasureId: placeholder('measure'),
      text: placeholder('text'),
      sessionId: placeholder('session'),
      createdBy: placeholder('by'),
      updatedAt: placeholder('at'),
    })
    .returning({ id: commitments.id })
    .prepare();
  const accountCommitment = tx
    .update(commitments)
    .set({
      outcome: placeholder('outcome') as never,
      outcomeNote: placeholder('note') as never,
      accountedSessionId: placeholder('session') as never,
      updatedAt: placeholder('at') as never,
    })
    .where(eq(commitments.id, placeholder('id')))
    .prepare();
  const insertPathRequest = tx
    .insert(pathRequests)
    .values({
      teamId: placeholder('team'),
      sessionId: placeholder('session'),
      week: placeholder('week'),
      text: placeholder('text'),
      raisedBy: placeholder('by'),
      assigneeId: placeholder('assignee'),
      status: placeholder('status'),
      resolution: placeholder('resolution'),
      resolvedBy: placeholder('resolvedBy'),
      resolvedAt: placeholder('resolvedAt'),
      raisedAt: placeholder('at'),
    })
    .prepare();

  const measures = activeTeamMeasures(
    tx,
    input.teams.map((t) => t.id),
  );
  const slots = new Map(
    tx
      .select()
      .from(teams)
      .all()
      .map((t) => [t.id, t]),
  );
  for (const team of input.teams) {
    const own = measures.filter((m) => m.teamId === team.id);
    if (own.length === 0 || team.leaderId === 0) continue;
    const slot = slots.get(team.id)!;
    const calendar = demoCalendar(year, team.school);
    const weeks =
      currentWeek <= year.terms[0]!.startDate
        ? []
        : schoolWeeks({ start: year.terms[0]!.startDate, end: addDays(currentWeek, -1) }, calendar).slice(-12);
    const peopleIds = [team.leaderId, ...team.memberIds];
    const demoTeam = team.leaderId === input.lead;
    const head = team.schoolId === null ? null : input.heads.get(team.schoolId)!;
    // Commitments not yet accounted for, oldest first.
    let open: { id: number; personId: number; week: IsoDate }[] = [];
    for (const [index, week] of weeks.entries()) {
      const date = sessionDate(slot, week, calendar);
      if (date === null) continue;
      const latest = index === weeks.length - 1;
      if (!(demoTeam && latest) && chance(0.1)) continue; // missed: nothing recorded
      const at = zonedInstant(date, slot.sessionTime, tz);
      const sessionId = insertSession.get({
        team: team.id,
        week,
        at,
        worked: pick(WORKED),
        didNotWork: pick(DID_NOT_WORK),
        by: team.leaderId,
      })!.id;
      for (const personId of peopleIds)
        insertAttendance.run({
          session: sessionId,
          person: personId,
          present: personId === team.leaderId || chance(0.9) ? 1 : 0,
        });

      // Account: what was committed for this week or the few before it (a missed session's ones too).
      for (const c of open.filter((c) => c.week <= week && c.week > addDays(week, -28))) {
        const roll = random();
        const outcome = roll < 0.72 ? 'done' : roll < 0.88 ? 'partly' : 'not_done';
        accountCommitment.run({
          id: c.id,
          outcome,
          note: outcome !== 'done' && chance(0.6) ? pick(OUTCOME_NOTES) : null,
          session: sessionId,
          at,
        });
      }
      open = open.filter((c) => c.week > week);

      // Plan: one or two commitments each for the next school week, each moving one of the team's lead measures.
      const forWeek = commitmentWeek(week, calendar);
      for (const personId of peopleIds) {
        const count = chance(0.4) ? 2 : 1;
        for (let k = 0; k < count; k++) {
          const measure = pick(own);
          const text = pick(COMMITMENT_TEXTS)(measure.name.toLowerCase());
          const id = insertCommitment.get({
            team: team.id,
            person: personId,
            week: forWeek,
            measure: measure.id,
            text,
            session: sessionId,
            by: team.leaderId,
            at,
          })!.id;
          open.push({ id, personId, week: forWeek });
        }
      }

      // Clear the path: now and then a request for help, to the headteacher or a trust leader; the older ones resolved.
      const forced = latest && (demoTeam || (team.schoolId === null ? chance(0.5) : chance(0.2)));
      if (forced || chance(0.12)) {
        const assignee =
          demoTeam && latest ? head! : head !== null && chance(0.6) ? head : chance(0.7) ? input.til : input.ceo;
        const resolved = !latest && index < weeks.length - 2 && chance(0.85);
        const resolvedAt = resolved ? at + (2 + Math.floor(random() * 5)) * 86_400_000 : null;
        insertPathRequest.run({
          team: team.id,
          session: sessionId,
          week,
          text: pick(PATH_TEXTS),
          by: team.leaderId,
          assignee,
          status: resolved ? 'resolved' : 'open',
          resolution: resolved ? pick(RESOLUTIONS) : null,
          resolvedBy: resolved ? assignee : null,
          resolvedAt,
          at,
        });
      }
    }
  }
}
