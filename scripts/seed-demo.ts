// Fills an empty database with a plausible demo trust: five primary schools, trust-level teams, and people in every role.
import { writeTransaction, type Db } from '../src/db/connection.ts';
import { academicYears, closures, people, roleAssignments, schools, teams, terms, trustSettings, type RoleKind } from '../src/db/schema.ts';
import { recordAudit } from '../src/db/queries/audit.ts';

export const DEMO_PASSWORD = 'wigboard-demo';

/** The accounts the README lists: one per role, all with DEMO_PASSWORD. */
export const DEMO_ACCOUNTS = [
  { email: 'admin@wigboard.demo', name: 'Priya Shah', role: 'Trust admin' },
  { email: 'ceo@wigboard.demo', name: 'Margaret Okafor', role: 'CEO (trust leader)' },
  { email: 'til@wigboard.demo', name: 'Tom Whitfield', role: 'Trust Improvement Leader (trust leader)' },
  { email: 'sendco@wigboard.demo', name: 'Siân Pritchard', role: 'Trust SENDCO (trust leader; leads the Trust SENDCO network)' },
  { email: 'head@wigboard.demo', name: 'Daniel Achterberg', role: 'Headteacher of Ashcombe Primary (school leader)' },
  { email: 'lead@wigboard.demo', name: 'Zoë Marchetti', role: 'Year 6 lead at Ashcombe Primary (team leader)' },
  { email: 'teacher@wigboard.demo', name: 'Aaron Beckett', role: 'Year 6 teacher at Ashcombe Primary (team member)' },
] as const;

const SCHOOLS = [
  { name: 'Ashcombe Primary', urn: '142001', teams: ['Year 6', 'EYFS', 'Key Stage 1', 'Lower Key Stage 2', 'Inclusion and SEND'] },
  { name: 'Brookfield Primary', urn: '142002', teams: ['EYFS', 'Key Stage 1', 'Key Stage 2', 'Attendance team'] },
  { name: 'Castle Hill Primary', urn: '142003', teams: ['Early reading', 'Key Stage 1', 'Upper Key Stage 2'] },
  { name: 'Dunmore Church of England Primary', urn: '142004', teams: ['EYFS', 'Key Stage 1', 'Lower Key Stage 2', 'Upper Key Stage 2', 'Maths leads', 'Inclusion and SEND'] },
  { name: 'Elmwood Primary Academy', urn: '142005', teams: ['EYFS and Year 1', 'Years 2 to 4', 'Years 5 and 6', 'Writing team'] },
];
/** A plausible English academic year: six half-terms, INSET days, and the bank holidays of England and Wales. */
export const DEMO_YEAR = {
  name: '2026–27',
  startDate: '2026-09-01',
  endDate: '2027-08-31',
  terms: [
    { name: 'Autumn 1', startDate: '2026-09-01', endDate: '2026-10-23' },
    { name: 'Autumn 2', startDate: '2026-11-02', endDate: '2026-12-18' },
    { name: 'Spring 1', startDate: '2027-01-04', endDate: '2027-02-12' },
    { name: 'Spring 2', startDate: '2027-02-22', endDate: '2027-03-26' },
    { name: 'Summer 1', startDate: '2027-04-12', endDate: '2027-05-28' },
    { name: 'Summer 2', startDate: '2027-06-07', endDate: '2027-07-21' },
  ],
  closures: [
    { kind: 'inset', name: 'INSET days', startDate: '2026-09-01', endDate: '2026-09-02' },
    { kind: 'inset', name: 'INSET day', startDate: '2027-01-04', endDate: '2027-01-04' },
    { kind: 'bank_holiday', name: 'Christmas Day', startDate: '2026-12-25', endDate: '2026-12-25' },
    { kind: 'bank_holiday', name: 'Boxing Day (substitute day)', startDate: '2026-12-28', endDate: '2026-12-28' },
    { kind: 'bank_holiday', name: 'New Year’s Day', startDate: '2027-01-01', endDate: '2027-01-01' },
    { kind: 'bank_holiday', name: 'Good Friday', startDate: '2027-03-26', endDate: '2027-03-26' },
    { kind: 'bank_holiday', name: 'Easter Monday', startDate: '2027-03-29', endDate: '2027-03-29' },
    { kind: 'bank_holiday', name: 'Early May bank holiday', startDate: '2027-05-03', endDate: '2027-05-03' },
    { kind: 'bank_holiday', name: 'Spring bank holiday', startDate: '2027-05-31', endDate: '2027-05-31' },
  ],
  schoolClosures: [
    { school: 'Brookfield Primary', kind: 'inset', name: 'INSET day (Brookfield)', startDate: '2026-11-27', endDate: '2026-11-27' },
    { school: 'Castle Hill Primary', kind: 'closure', name: 'Polling station', startDate: '2027-05-06', endDate: '2027-05-06' },
  ],
} as const;

const TRUST_TEAMS = ['Trust SENDCO network', 'English Community of Practice', 'Trust leadership team'];

const FIRST = ['Amira', 'Ben', 'Chloe', 'Dev', 'Ellie', 'Femi', 'Grace', 'Harvey', 'Isla', 'Jamal', 'Keira', 'Liam', 'Maya', 'Noah', 'Olivia', 'Priya', 'Rhys', 'Sofia', 'Tariq', 'Una', 'Wei', 'Yasmin', 'Zain', 'Bethan', 'Callum', 'Dilys', 'Eoin', 'Fatima', 'Gwen', 'Hamza'];
const LAST = ['Adeyemi', 'Brown', 'Clarke', 'Davies', 'Evans', 'Fraser', 'Green', 'Hughes', 'Iqbal', 'Jones', 'Khan', 'Lewis', 'Morgan', 'Nowak', 'Owen', 'Patel', 'Quinn', 'Roberts', 'Singh', 'Taylor', 'Uddin', 'Walsh', 'Williams', 'Young', 'Zhang'];

/** A small deterministic generator, so every demo database is the same. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const slug = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[^\w]+/g, '.').replace(/^\.+|\.+$/g, '');

export interface SeedSummary {
  schools: number;
  teams: number;
  people: number;
}

/** Seeds the demo trust into an empty database; every demo account gets the same (already hashed) password. */
export function seedDemo(db: Db, passwordHash: string): SeedSummary {
  const random = prng(2026);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  return writeTransaction(db, (tx) => {
    if (tx.select({ id: people.id }).from(people).limit(1).get()) throw new Error('The database already has people in it; the demo seeds only an empty database.');
    tx.insert(trustSettings).values({ id: 1, name: 'Stourside Primary Trust (demo)', timeZone: 'Europe/London', updatedAt: Date.now() }).run();

    const usedEmails = new Set<string>();
    const addPerson = (name: string, email: string) => {
      usedEmails.add(email);
      return tx.insert(people).values({ name, email, passwordHash }).returning({ id: people.id }).get().id;
    };
    const assign = (personId: number, role: RoleKind, where: { schoolId?: number; teamId?: number; title?: string } = {}) =>
      tx.insert(roleAssignments).values({ personId, role, schoolId: where.schoolId ?? null, teamId: where.teamId ?? null, title: where.title ?? null }).run();
    const newPerson = (domain: string) => {
      for (;;) {
        const name = `${pick(FIRST)} ${pick(LAST)}`;
        const email = `${slug(name)}@${domain}`;
        if (!usedEmails.has(email)) return addPerson(name, email);
      }
    };

    const account = Object.fromEntries(DEMO_ACCOUNTS.map((a) => [a.email.split('@')[0], addPerson(a.name, a.email)])) as Record<string, number>;
    assign(account.admin!, 'trust_admin', { title: 'Trust data and systems manager' });
    assign(account.ceo!, 'trust_leader', { title: 'CEO' });
    assign(account.til!, 'trust_leader', { title: 'Trust Improvement Leader' });
    assign(account.sendco!, 'trust_leader', { title: 'Trust SENDCO' });

    const yearId = tx.insert(academicYears).values({ name: DEMO_YEAR.name, startDate: DEMO_YEAR.startDate, endDate: DEMO_YEAR.endDate }).returning({ id: academicYears.id }).get().id;
    for (const term of DEMO_YEAR.terms) tx.insert(terms).values({ academicYearId: yearId, ...term }).run();
    for (const closure of DEMO_YEAR.closures) tx.insert(closures).values({ schoolId: null, ...closure }).run();
    const schoolIds = new Map<string, number>();

    let teamCount = 0;
    const sendcos: number[] = [];
    for (const [index, school] of SCHOOLS.entries()) {
      const schoolId = tx.insert(schools).values({ name: school.name, urn: school.urn }).returning({ id: schools.id }).get().id;
      schoolIds.set(school.name, schoolId);
      const domain = `${slug(school.name.split(' ')[0]!)}.wigboard.demo`;
      const head = index === 0 ? account.head! : newPerson(domain);
      assign(head, 'school_leader', { schoolId, title: 'Headteacher' });
      assign(newPerson(domain), 'school_leader', { schoolId, title: 'Deputy headteacher' });
      for (const [teamIndex, teamName] of school.teams.entries()) {
        const teamId = tx
          .insert(teams)
          .values({ schoolId, name: teamName, sessionWeekday: 1 + ((index + teamIndex) % 5), sessionTime: ['08:00', '08:15', '15:30', '15:45'][teamIndex % 4]!, sessionMinutes: teamIndex % 2 ? 30 : 20 })
          .returning({ id: teams.id })
          .get().id;
        teamCount++;
        const demoTeam = index === 0 && teamIndex === 0;
        assign(demoTeam ? account.lead! : newPerson(domain), 'team_leader', { teamId, title: `${teamName} lead` });
        if (demoTeam) assign(account.teacher!, 'team_member', { teamId, title: 'Year 6 teacher' });
        const size = 3 + Math.floor(random() * 4);
        for (let i = 0; i < size; i++) {
          const member = newPerson(domain);
          assign(member, 'team_member', { teamId, title: i === 0 ? 'Teaching assistant' : 'Class teacher' });
          if (teamName === 'Inclusion and SEND' && i === 0) sendcos.push(member);
        }
      }
    }
    for (const { school, ...closure } of DEMO_YEAR.schoolClosures) tx.insert(closures).values({ schoolId: schoolIds.get(school)!, ...closure }).run();
    for (const [i, name] of TRUST_TEAMS.entries()) {
      const teamId = tx.insert(teams).values({ schoolId: null, name, sessionWeekday: 3 + (i % 2), sessionTime: '16:00', sessionMinutes: 30 }).returning({ id: teams.id }).get().id;
      teamCount++;
      if (name === 'Trust SENDCO network') {
        assign(account.sendco!, 'team_leader', { teamId, title: 'Trust SENDCO' });
        for (const member of sendcos) assign(member, 'team_member', { teamId, title: 'School SENDCO' });
      } else if (name === 'Trust leadership team') {
        assign(account.ceo!, 'team_leader', { teamId, title: 'CEO' });
        assign(account.til!, 'team_member', { teamId, title: 'Trust Improvement Leader' });
      } else {
        assign(account.til!, 'team_leader', { teamId, title: 'English lead' });
        for (let k = 0; k < 4; k++) assign(newPerson('trust.wigboard.demo'), 'team_member', { teamId, title: 'English lead' });
      }
    }
    recordAudit(tx, { actorId: null, action: 'seed_demo', entity: 'trust_settings', entityId: 1 });
    return { schools: SCHOOLS.length, teams: teamCount, people: usedEmails.size };
  });
}
