// Who may do what: pure rules over a person's role assignments and the school or team a request is about.
import type { WigLevel } from './wig.ts';

/** The roles a person holds, each in the trust, a school or a team. */
export const roleKinds = ['trust_admin', 'trust_leader', 'school_leader', 'team_leader', 'team_member'] as const;
export type RoleKind = (typeof roleKinds)[number];

/** What a wall display shows: one team's scoreboard, a school's teams in rotation, a school's page, the trust's tree. */
export const displayKinds = ['team', 'rotation', 'school', 'trust'] as const;
export type DisplayKind = (typeof displayKinds)[number];

export interface Assignment {
  id: number;
  role: RoleKind;
  title: string | null;
  schoolId: number | null;
  teamId: number | null;
}

export interface Principal {
  personId: number;
  assignments: readonly Assignment[];
}

/** What a request is about, resolved from its route parameters before the rule runs. */
export interface Target {
  schoolId?: number | null;
  team?: { id: number; schoolId: number | null };
  wig?: { level: WigLevel; schoolId: number | null; teamId: number | null };
  /** A request for help (clear the path), by whom it was given to. */
  pathRequest?: { assigneeId: number };
  /** A person, with the teams they are in now or made commitments in this academic year. */
  person?: { id: number; teams: readonly { id: number; schoolId: number | null }[] };
  /** A wall display, by who paired it. */
  display?: { pairedBy: number | null };
}

export type AccessRule = {
  readonly name: string;
  /** True when the rule needs a signed-in person at all. */
  readonly signedIn: boolean;
  allows(principal: Principal | null, target: Target): boolean;
  /** What a refused person reads when the rule can say more than that their role does not reach the page (null: that). */
  refusal?(principal: Principal, target: Target): string | null;
};

export const isTrustAdmin = (p: Principal) => p.assignments.some((a) => a.role === 'trust_admin');
const isTrustLeader = (p: Principal) => p.assignments.some((a) => a.role === 'trust_leader');
/** Trust admins and trust leaders (CEO, Trust Improvement Leader, trust SENDCO) read every school. */
export const readsWholeTrust = (p: Principal) => isTrustAdmin(p) || isTrustLeader(p);

const leadsSchool = (p: Principal, schoolId: number | null | undefined) =>
  schoolId != null && p.assignments.some((a) => a.role === 'school_leader' && a.schoolId === schoolId);

export const belongsToTeam = (p: Principal, teamId: number) =>
  p.assignments.some((a) => (a.role === 'team_leader' || a.role === 'team_member') && a.teamId === teamId);

export const leadsTeam = (p: Principal, teamId: number) =>
  p.assignments.some((a) => a.role === 'team_leader' && a.teamId === teamId);

export const ledSchoolIds = (p: Principal) => [
  ...new Set(p.assignments.filter((a) => a.role === 'school_leader').map((a) => a.schoolId as number)),
];

/** The teams a person leads. */
export const ledTeamIds = (p: Principal) => [
  ...new Set(p.assignments.filter((a) => a.role === 'team_leader').map((a) => a.teamId as number)),
];

export const teamIds = (p: Principal) => [
  ...new Set(p.assignments.filter((a) => a.teamId !== null).map((a) => a.teamId as number)),
];

/** Who writes a WIG: its team's leader, its school's leaders, or trust leaders for the trust's (trust admins for support). */
function editsWig(p: Principal, wig: NonNullable<Target['wig']>): boolean {
  if (isTrustAdmin(p)) return true;
  if (wig.level === 'trust') return isTrustLeader(p);
  if (wig.level === 'school') return leadsSchool(p, wig.schoolId);
  return wig.teamId !== null && leadsTeam(p, wig.teamId);
}

/** Who reads a WIG: whoever reads its team or school; every trust reader reads the trust's. */
function readsWig(p: Principal, t: Target): boolean {
  const wig = t.wig!;
  if (readsWholeTrust(p)) return true;
  if (wig.level === 'team')
    return leadsSchool(p, wig.schoolId) || (wig.teamId !== null && belongsToTeam(p, wig.teamId));
  if (wig.level === 'school') return leadsSchool(p, wig.schoolId);
  return false;
}

/** Leaders above a WIG may veto it (send it back to draft with a reason), never rewrite it. */
function vetoesWig(p: Principal, wig: NonNullable<Target['wig']>): boolean {
  if (wig.level === 'trust') return false;
  if (isTrustLeader(p)) return true;
  return wig.level === 'team' && leadsSchool(p, wig.schoolId);
}

/**
 * Whose numbers a person changes in a team's weekly grid: a member their own and the team's; a team leader every cell.
 * Worked out once per person and team; the answer is asked per cell (personId null: the team's own cell).
 */
export function cellsChangedBy(p: Principal, team: { id: number }): (personId: number | null) => boolean {
  const member = belongsToTeam(p, team.id);
  const leader = leadsTeam(p, team.id);
  return (personId) => member && (leader || personId === null || personId === p.personId);
}

/** Who records a team's weekly WIG session: its team leaders, and the leaders above it (its school's leaders, trust leaders, trust admins). */
export const runsTeamSession = (p: Principal, team: { id: number; schoolId: number | null }) =>
  readsWholeTrust(p) || leadsSchool(p, team.schoolId) || leadsTeam(p, team.id);

/** Who resolves a request for help (clear the path): the leader it was assigned to, or a trust admin. */
export const mayResolvePathRequest = (p: Principal, request: { assigneeId: number }) =>
  isTrustAdmin(p) || request.assigneeId === p.personId;

const pairsDisplays = (p: Principal) =>
  readsWholeTrust(p) || p.assignments.some((a) => a.role === 'school_leader' || a.role === 'team_leader');

function rule(name: string, allows: (p: Principal, t: Target) => boolean, refusal?: AccessRule['refusal']): AccessRule {
  return { name, signedIn: true, allows: (p, t) => p !== null && allows(p, t), ...(refusal ? { refusal } : {}) };
}

/** The named access rules; every route declares exactly one of them. */
export const rules = {
  /** Anyone, signed in or not (sign-in page, invitation links, health check, assets). */
  public: { name: 'public', signedIn: false, allows: () => true } as AccessRule,
  signedIn: rule('signedIn', () => true),
  trustAdmin: rule('trustAdmin', isTrustAdmin),
  readTrust: rule('readTrust', readsWholeTrust),
  /** Schools a person may open in admin: trust admins all of them, a headteacher their own. */
  manageAnySchool: rule('manageAnySchool', (p) => isTrustAdmin(p) || ledSchoolIds(p).length > 0),
  readSchool: rule('readSchool', (p, t) => readsWholeTrust(p) || leadsSchool(p, t.schoolId)),
  manageSchool: rule('manageSchool', (p, t) => isTrustAdmin(p) || leadsSchool(p, t.schoolId)),
  readTeam: rule(
    'readTeam',
    (p, t) =>
      t.team !== undefined && (readsWholeTrust(p) || leadsSchool(p, t.team.schoolId) || belongsToTeam(p, t.team.id)),
  ),
  /** Changing a team's details and its people: trust admins, and the headteacher of a school team. */
  manageTeam: rule(
    'manageTeam',
    (p, t) => t.team !== undefined && (isTrustAdmin(p) || leadsSchool(p, t.team.schoolId)),
  ),
  /** Setting the team's WIGs: its team leaders (and trust admins). */
  editTeamWigs: rule(
    'editTeamWigs',
    (p, t) => t.team !== undefined && editsWig(p, { level: 'team', schoolId: t.team.schoolId, teamId: t.team.id }),
  ),
  editSchoolWigs: rule('editSchoolWigs', (p, t) =>
    editsWig(p, { level: 'school', schoolId: t.schoolId ?? null, teamId: null }),
  ),
  editTrustWigs: rule('editTrustWigs', (p) => editsWig(p, { level: 'trust', schoolId: null, teamId: null })),
  readWig: rule('readWig', (p, t) => t.wig !== undefined && readsWig(p, t)),
  editWig: rule('editWig', (p, t) => t.wig !== undefined && editsWig(p, t.wig)),
  vetoWig: rule('vetoWig', (p, t) => t.wig !== undefined && vetoesWig(p, t.wig)),
  /** Entering the week's numbers: the team's own people (each their own cells; leaders every cell, checked per cell). */
  enterTeamNumbers: rule('enterTeamNumbers', (p, t) => t.team !== undefined && belongsToTeam(p, t.team.id)),
  /** Importing a team's numbers from a spreadsheet (any past week, anyone's cells): its team leaders, and trust admins. */
  importTeamNumbers: rule(
    'importTeamNumbers',
    (p, t) => t.team !== undefined && (isTrustAdmin(p) || leadsTeam(p, t.team.id)),
  ),
  /** Recording a team's weekly WIG session (its members read it through readTeam). */
  runTeamSession: rule('runTeamSession', (p, t) => t.team !== undefined && runsTeamSession(p, t.team)),
  /** Resolving a request for help: the leader it was given to, or a trust admin. */
  resolvePathRequest: rule(
    'resolvePathRequest',
    (p, t) => t.pathRequest !== undefined && mayResolvePathRequest(p, t.pathRequest),
  ),
  /** Pairing wall displays and managing them: trust admins and leaders, headteachers, team leaders (each for what they lead). */
  pairDisplays: rule('pairDisplays', pairsDisplays),
  /** Revoking a display: the leader who paired it, or a trust admin. */
  revokeDisplay: rule(
    'revokeDisplay',
    (p, t) => t.display !== undefined && pairsDisplays(p) && (isTrustAdmin(p) || t.display.pairedBy === p.personId),
    (p) => (pairsDisplays(p) ? 'Only the leader who paired this display, or a trust admin, can revoke it.' : null),
  ),
  /** A person's commitments history: the person, and whoever reads commitments in one of their teams (seesCommitmentsOf). */
  readPersonCommitments: rule(
    'readPersonCommitments',
    (p, t) =>
      t.person !== undefined &&
      (p.personId === t.person.id || t.person.teams.some((team) => seesCommitmentsOf(p, t.person!.id, team))),
  ),
} as const satisfies Record<string, AccessRule>;

/** What a person may put on a wall display: a team they lead or whose school they lead; a school they lead; the trust tree (trust readers). */
export function mayShowOnDisplay(
  p: Principal,
  board: { kind: DisplayKind; schoolId: number | null; teamId: number | null },
): boolean {
  if (readsWholeTrust(p)) return true;
  if (board.kind === 'trust') return false;
  if (board.kind === 'team')
    return board.teamId !== null && (leadsTeam(p, board.teamId) || leadsSchool(p, board.schoolId));
  return leadsSchool(p, board.schoolId);
}

/** The roles a person may hand out in a school they lead (a headteacher staffs their own teams, no more). */
export function mayAssign(p: Principal, role: RoleKind, target: Target): boolean {
  if (isTrustAdmin(p)) return true;
  if (role === 'team_leader' || role === 'team_member') {
    return target.team !== undefined && leadsSchool(p, target.team.schoolId);
  }
  return false;
}

// ——— Commitments history (issue 6) ———

/** Who sees a person's commitments made in a team: the person themself, the team's leaders, its school's leaders, trust readers. */
export function seesCommitmentsOf(
  p: Principal,
  personId: number,
  team: { id: number; schoolId: number | null },
): boolean {
  // Team mates too: commitments are made to the team, in front of it, and the team's history page shows them all.
  return p.personId === personId || readsWholeTrust(p) || leadsSchool(p, team.schoolId) || belongsToTeam(p, team.id);
}
