// The views above a team: a school's teams (winning or losing, latest week, trend), the trust's schools, and the
// aligned WIG tree (trust WIGs → school WIGs → team WIGs). The builders read in a few set-based queries, whatever the
// number of teams, and return plain data that the page and the wall display render with the same partials.
import type { Db } from '../db/connection.ts';
import { schoolCalendars } from '../db/queries/calendar.ts';
import { activeWigs } from '../db/queries/overview.ts';
import { listSchools, listTeams, type School, type Team } from '../db/queries/schools.ts';
import type { Wig } from '../db/queries/wigs.ts';
import type { IsoDate, SchoolCalendar } from '../domain/calendar.ts';
import { judgeTeam, type Judgement, type Status, type Verdict } from '../domain/status.ts';
import { boardsFromFacts, loadBoardFacts, wigBoard, type BoardFacts, type TeamBoard } from './team-board.ts';

/** A count of lead measures (or lead measure weeks) on target. */
export interface Tally {
  met: number;
  of: number;
}

export interface TeamOverview {
  team: Pick<Team, 'id' | 'name' | 'schoolId'>;
  boards: TeamBoard[];
  /** The team's verdict by the one rule (src/domain/status.ts), and why. */
  judgement: Judgement;
  /** Lead measures on target last week (the last complete school week), and over the trend's weeks. */
  latest: Tally;
  trend: Tally;
}

interface WigSummary {
  wig: Wig;
  sentence: string;
  /** The lag measure against its pace line. */
  status: Status;
  /** The WIG's verdict by the one rule, and why. */
  judgement: Judgement;
}

export interface SchoolOverview {
  school: Pick<School, 'id' | 'name'>;
  wigs: WigSummary[];
  teams: TeamOverview[];
  counts: Record<Verdict, number>;
  latest: Tally;
  trend: Tally;
}

const sum = (tallies: readonly Tally[]): Tally => ({
  met: tallies.reduce((n, t) => n + t.met, 0),
  of: tallies.reduce((n, t) => n + t.of, 0),
});

/** Everything the builders read, once: active WIGs, teams, calendars, board facts and the lag readings of every WIG. */
interface Loaded {
  today: IsoDate;
  wigs: Wig[];
  teams: Team[];
  calendars: Map<number | null, SchoolCalendar>;
  facts: BoardFacts;
}

function load(
  db: Db,
  today: IsoDate,
  schoolIds: readonly number[],
  schoolId?: number,
  calendars?: Map<number | null, SchoolCalendar>,
): Loaded {
  const wigs = activeWigs(db, schoolId);
  const teams = listTeams(db, schoolId);
  const allCalendars = calendars ?? schoolCalendars(db, [null, ...schoolIds]);
  return {
    today,
    wigs,
    teams,
    calendars: allCalendars,
    facts: loadBoardFacts(db, wigs, today, allCalendars.values(), 'latest'),
  };
}

/** A school's calendar (the trust's own, for the trust's WIGs and teams); a caller's map may hold only the schools it needs. */
const calendarOf = (l: Loaded, schoolId: number | null) =>
  l.calendars.get(schoolId) ?? l.calendars.get(null) ?? l.calendars.values().next().value!;

/** A trust or school WIG (or a team WIG's board) summed up: its lag status and its verdict by the one rule. */
function wigSummary(
  l: Loaded,
  wig: Wig,
  board = wigBoard(l.facts, wig, 0, l.today, calendarOf(l, wig.schoolId)),
): WigSummary {
  return { wig, sentence: board.sentence, status: board.lag?.status ?? 'no_data', judgement: board.judgement };
}

function teamOverview(l: Loaded, team: Team): TeamOverview {
  const { boards } = boardsFromFacts(l.facts, team, l.today, calendarOf(l, team.schoolId));
  const leads = boards.flatMap((b) => b.leads);
  return {
    team: { id: team.id, name: team.name, schoolId: team.schoolId },
    boards,
    judgement: judgeTeam(boards.map((b) => ({ name: b.wig.lagName, verdict: b.judgement.verdict }))),
    latest: { met: leads.filter((d) => d.status === 'met').length, of: leads.length },
    trend: sum(leads.map((d) => d.trend)),
  };
}

function summariseSchool(l: Loaded, school: Pick<School, 'id' | 'name'>): SchoolOverview {
  const teams = l.teams.filter((t) => t.schoolId === school.id).map((t) => teamOverview(l, t));
  const counts: Record<Verdict, number> = { winning: 0, losing: 0, no_data: 0, no_wig: 0 };
  for (const t of teams) counts[t.judgement.verdict] += 1;
  return {
    school,
    wigs: l.wigs.filter((w) => w.level === 'school' && w.schoolId === school.id).map((w) => wigSummary(l, w)),
    teams,
    counts,
    latest: sum(teams.map((t) => t.latest)),
    trend: sum(teams.map((t) => t.trend)),
  };
}

/** A school's page: its own WIGs with their lag status, and every team winning or losing, with latest week and trend. */
export function schoolOverview(
  db: Db,
  school: Pick<School, 'id' | 'name'>,
  today: IsoDate,
  calendars?: Map<number | null, SchoolCalendar>,
): SchoolOverview {
  return summariseSchool(load(db, today, [school.id], school.id, calendars), school);
}

/** The trust page: the trust's WIGs, and every school summed up (its WIGs, its teams winning and losing, latest week, trend). */
export function trustOverview(db: Db, today: IsoDate) {
  const schools = listSchools(db);
  const l = load(
    db,
    today,
    schools.map((s) => s.id),
  );
  return {
    wigs: l.wigs.filter((w) => w.level === 'trust').map((w) => wigSummary(l, w)),
    schools: schools.map((s) => summariseSchool(l, s)),
    trustTeams: l.teams.filter((t) => t.schoolId === null).map((t) => teamOverview(l, t)),
  };
}

export interface TreeNode {
  wig: Wig;
  sentence: string;
  /** Who owns it: the trust, a school, or a team (with its school). */
  owner: string;
  /** Where a reader drills down: the WIG's page, or a team WIG's scoreboard. */
  href: string;
  /** The lag measure against its pace line. */
  status: Status;
  /** The WIG's verdict by the one rule, as its scoreboard and page say it. */
  judgement: Judgement;
  /** The team WIGs at and below this one (at any depth), and how many of them are winning. */
  teamWigs: Tally;
  children: TreeNode[];
}

const LEVEL_ORDER = { trust: 0, school: 1, team: 2 } as const;

/**
 * The aligned WIG tree: trust WIGs → school WIGs → team WIGs, through each WIG's parent. A WIG whose parent is not
 * active (or not in view) is a root of its own, so nothing active is hidden. For one school: its WIGs and its teams',
 * under the trust WIGs they serve.
 */
export function wigTree(db: Db, today: IsoDate, schoolId?: number) {
  const schools = listSchools(db, schoolId === undefined ? undefined : [schoolId]);
  const l = load(
    db,
    today,
    schools.map((s) => s.id),
    schoolId,
  );
  const schoolName = new Map(schools.map((s) => [s.id, s.name]));
  const teamById = new Map(l.teams.map((t) => [t.id, t]));
  const boards = new Map<number, TeamBoard>();
  for (const team of l.teams)
    for (const b of boardsFromFacts(l.facts, team, l.today, calendarOf(l, team.schoolId)).boards)
      boards.set(b.wig.id, b);

  const nodes = new Map<number, TreeNode>();
  for (const wig of l.wigs) {
    const board = boards.get(wig.id);
    const team = wig.teamId === null ? undefined : teamById.get(wig.teamId);
    if (wig.level === 'team' && !team) continue; // another school's team, when one school is in view
    const owner =
      wig.level === 'trust'
        ? 'The trust'
        : wig.level === 'school'
          ? (schoolName.get(wig.schoolId!) ?? '')
          : `${team!.name}${wig.schoolId === null ? ' (trust team)' : ` — ${schoolName.get(wig.schoolId) ?? ''}`}`;
    const summary = wigSummary(l, wig, board);
    nodes.set(wig.id, {
      wig,
      sentence: summary.sentence,
      owner,
      href: board ? `/teams/${wig.teamId}/scoreboard` : `/wigs/${wig.id}`,
      status: summary.status,
      judgement: summary.judgement,
      teamWigs: { met: 0, of: 0 },
      children: [],
    });
  }
  const roots: TreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.wig.parentId === null ? undefined : nodes.get(node.wig.parentId);
    (parent ? parent.children : roots).push(node);
  }
  const order = (a: TreeNode, b: TreeNode) =>
    LEVEL_ORDER[a.wig.level] - LEVEL_ORDER[b.wig.level] ||
    a.owner.localeCompare(b.owner) ||
    a.wig.lagName.localeCompare(b.wig.lagName);
  const finish = (node: TreeNode): Tally => {
    node.children.sort(order);
    const own =
      node.wig.level === 'team' ? { met: node.judgement.verdict === 'winning' ? 1 : 0, of: 1 } : { met: 0, of: 0 };
    node.teamWigs = sum([own, ...node.children.map(finish)]);
    return node.teamWigs;
  };
  const total = sum(roots.map(finish));
  roots.sort(order);
  // In one school's tree, a trust WIG none of the school's WIGs serve is not part of its battle.
  const shown = schoolId === undefined ? roots : roots.filter((r) => r.wig.level !== 'trust' || r.children.length > 0);
  return { roots: shown, teamWigs: total };
}
