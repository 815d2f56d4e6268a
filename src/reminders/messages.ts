// The words of each reminder: subject, plain text and accessible HTML, with links back into the app and to stop optional kinds.
import type { Db } from '../db/connection.ts';
import { findSchool, findTeam } from '../db/queries/schools.ts';
import { commitmentTexts, openTeamPathRequests, teamsHeldIn } from '../db/queries/wig-sessions.ts';
import { localDate } from '../domain/calendar.ts';
import { formatDay } from '../domain/dates.ts';
import { ratioKeys, ratioLabels, ratioWords, type HealthFigures } from '../domain/health.ts';
import { reminderKindInfo, type DueReminder } from '../domain/reminders.ts';
import { academicYearSoFar } from '../db/queries/calendar.ts';
import { schoolHealth, trustHealth } from '../read-models/health.ts';
import { schoolOverview, trustOverview, wigTree, type TreeNode } from '../read-models/overview.ts';
import { verdictWords } from '../domain/status.ts';
import type { OutboxInsert } from '../db/queries/reminders.ts';

interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A message as blocks, written once and turned into both plain text and HTML. */
type Block = { p: string } | { h: string } | { list: string[] } | { link: { href: string; text: string } };

function toText(blocks: readonly Block[]): string {
  return blocks
    .map((b) =>
      'p' in b
        ? b.p
        : 'h' in b
          ? `${b.h}\n${'-'.repeat(b.h.length)}`
          : 'list' in b
            ? b.list.map((i) => `- ${i}`).join('\n')
            : `${b.link.text}: ${b.link.href}`,
    )
    .join('\n\n');
}

function toHtml(title: string, blocks: readonly Block[]): string {
  const body = blocks
    .map((b) =>
      'p' in b
        ? `<p>${escapeHtml(b.p)}</p>`
        : 'h' in b
          ? `<h2>${escapeHtml(b.h)}</h2>`
          : 'list' in b
            ? `<ul>${b.list.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`
            : `<p><a href="${escapeHtml(b.link.href)}">${escapeHtml(b.link.text)}</a></p>`,
    )
    .join('\n');
  return `<!doctype html>\n<html lang="en-GB">\n<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n<h1>${escapeHtml(title)}</h1>\n${body}\n</body>\n</html>\n`;
}

function footer(reminder: DueReminder, publicUrl: string): Block[] {
  const info = reminderKindInfo[reminder.kind];
  return info.optional
    ? [
        { p: `You get this because of your role in wigboard. You can stop “${info.label}” emails at any time.` },
        { link: { href: `${publicUrl}/reminders/preferences`, text: 'Choose which reminders you get' } },
      ]
    : [
        {
          p: 'This reminder is part of your role in the weekly cadence and cannot be switched off by you; your trust admin sets when it is sent.',
        },
      ];
}

const figuresList = (f: HealthFigures): string[] => [
  `Health score: ${f.score === null ? 'nothing due yet' : `${f.score}%`}`,
  ...ratioKeys.map((k) => `${ratioLabels[k]}: ${ratioWords(f[k])}`),
];

/** Renders one due reminder against the data as it is now. */
export interface RenderContext {
  publicUrl: string;
  timeZone: string;
  now: number;
  /** Digests already worked out in this tick, by kind, school and week. */
  digests?: Map<string, Digest>;
}

interface Digest {
  title: string;
  intro: string;
  blocks: Block[];
}

function renderReminder(db: Db, reminder: DueReminder, context: RenderContext): RenderedMessage {
  const { publicUrl, timeZone, now } = context;
  const team = reminder.teamId === null ? null : findTeam(db, reminder.teamId);
  const teamName = team?.name ?? 'your team';
  const day = reminder.sessionDate ? formatDay(reminder.sessionDate) : formatDay(reminder.week);
  const time = team?.sessionTime ?? '';
  let title: string;
  let blocks: Block[];
  switch (reminder.kind) {
    case 'entries_missing':
      title = `${teamName}: enter this week’s lead measures before the session`;
      blocks = [
        {
          p: `Hello ${reminder.name}, your numbers for the week of ${formatDay(reminder.week)} are not in yet. The ${teamName} WIG session is on ${day} at ${time}.`,
        },
        { p: 'Still to enter:' },
        { list: reminder.missing ?? [] },
        {
          link: {
            href: `${publicUrl}/teams/${reminder.teamId}/week`,
            text: `Enter this week’s numbers for ${teamName}`,
          },
        },
      ];
      break;
    case 'session_today': {
      const own = commitmentTexts(db, reminder.teamId!, reminder.personId, reminder.week);
      title = `${teamName}: WIG session today at ${time}`;
      blocks = [
        {
          p: `Hello ${reminder.name}, the ${teamName} WIG session is today, ${day}, at ${time}. Come ready to account for last week’s commitments.`,
        },
        ...(own.length
          ? [{ p: 'Your commitments for this week:' }, { list: own }]
          : [{ p: 'You made no commitments for this week.' }]),
        { link: { href: `${publicUrl}/teams/${reminder.teamId}/session`, text: `Open the ${teamName} session` } },
      ];
      break;
    }
    case 'session_not_recorded':
      title = `${teamName}: the WIG session of ${day} is not recorded`;
      blocks = [
        {
          p: `Hello ${reminder.name}, the ${teamName} WIG session due on ${day} has no record yet. If it was held, record it now; otherwise it counts as missed.`,
        },
        { link: { href: `${publicUrl}/teams/${reminder.teamId}/session`, text: `Record the ${teamName} session` } },
      ];
      break;
    case 'school_digest':
    case 'trust_digest': {
      // A digest is the same for every leader it goes to: worked out once per school (or trust) and week in a tick.
      const scope = `${reminder.kind}:${reminder.schoolId ?? 'trust'}:${reminder.week}`;
      let digest = context.digests?.get(scope);
      if (!digest) {
        digest =
          reminder.kind === 'school_digest'
            ? schoolDigest(db, reminder, publicUrl, timeZone, now)
            : trustDigest(db, reminder, publicUrl, timeZone, now);
        context.digests?.set(scope, digest);
      }
      title = digest.title;
      blocks = [{ p: `Hello ${reminder.name}, ${digest.intro}` }, ...digest.blocks];
      break;
    }
  }
  const all = [...blocks, ...footer(reminder, publicUrl)];
  return { subject: title, text: `${title}\n\n${toText(all)}\n`, html: toHtml(title, all) };
}

function schoolDigest(db: Db, reminder: DueReminder, publicUrl: string, timeZone: string, now: number): Digest {
  const schoolId = reminder.schoolId!;
  const school = findSchool(db, schoolId) ?? { id: schoolId, name: 'Your school' };
  const today = localDate(now, timeZone);
  const health = schoolHealth(db, schoolId, academicYearSoFar(db, today), now, timeZone);
  const overview = schoolOverview(db, school, today);
  const teamIds = overview.teams.map((t) => t.team.id);
  const held = teamsHeldIn(db, teamIds, reminder.week);
  const title = `${school.name}: weekly digest, week of ${formatDay(reminder.week)}`;
  const intro = `here is how the teams of ${school.name} stand this week: ${overview.counts.winning} winning, ${overview.counts.losing} losing${overview.counts.no_data ? `, ${overview.counts.no_data} with no numbers yet` : ''}, ${overview.counts.no_wig} with no active WIG.`;
  const blocks: Block[] = [{ h: 'Teams' }];
  for (const t of overview.teams) {
    const figures = health.teams.find((h) => h.team.id === t.team.id)?.figures;
    const open = openTeamPathRequests(db, t.team.id);
    blocks.push({
      list: [
        `${t.team.name}: ${verdictWords[t.judgement.verdict]} — ${t.judgement.why}`,
        ...t.boards.map((b) => `${b.wig.lagName}: ${verdictWords[b.judgement.verdict]} — ${b.judgement.why}`),
        `Session this week: ${held.has(t.team.id) ? 'held' : 'not recorded'}`,
        `Execution health: ${figures?.score == null ? 'nothing due yet' : `${figures.score}%`}`,
        `Open path requests: ${open.length}${open.length ? ` (${open.map((p) => `${p.text} — for ${p.assigneeName}`).join('; ')})` : ''}`,
      ],
    });
  }
  blocks.push(
    { h: 'Execution health of the school (this academic year so far)' },
    { list: figuresList(health.figures) },
  );
  blocks.push({ link: { href: `${publicUrl}/schools/${schoolId}`, text: `Open ${school.name} in wigboard` } });
  return { title, intro, blocks };
}

function trustDigest(db: Db, reminder: DueReminder, publicUrl: string, timeZone: string, now: number): Digest {
  const today = localDate(now, timeZone);
  const health = trustHealth(db, academicYearSoFar(db, today), now, timeZone);
  // The same aligned tree and school summaries as the trust pages (src/read-models/overview.ts).
  const tree: string[] = [];
  const walk = (node: TreeNode, depth: number) => {
    const state = `${verdictWords[node.judgement.verdict]} — ${node.judgement.why}`;
    const below =
      node.wig.level !== 'team' && node.teamWigs.of
        ? ` ${node.teamWigs.met} of ${node.teamWigs.of} team WIGs below winning.`
        : '';
    tree.push(`${'  '.repeat(depth)}${node.owner}: ${node.wig.lagName}, ${node.sentence}. ${state}${below}`);
    for (const child of node.children) walk(child, depth + 1);
  };
  for (const root of wigTree(db, today).roots) walk(root, 0);
  const offTrack = trustOverview(db, today)
    .schools.filter((s) => s.counts.losing > s.counts.winning)
    .map(
      (s) => `${s.school.name}: ${s.counts.losing} of ${s.counts.winning + s.counts.losing} teams with a WIG losing`,
    );
  const title = `Trust weekly digest, week of ${formatDay(reminder.week)}`;
  const intro = 'here is the trust’s week: the aligned WIGs, schools off track, and execution health by school.';
  const blocks: Block[] = [
    { h: 'The aligned WIG tree' },
    { list: tree.length ? tree : ['No active WIG yet.'] },
    { h: 'Schools off track' },
    { list: offTrack.length ? offTrack : ['None: in every school at least half the teams with a WIG are winning.'] },
    { h: 'Execution health by school (this academic year so far)' },
    {
      list: health.schools.map(
        (s) =>
          `${s.school.name}: ${s.figures.score === null ? 'nothing due yet' : `${s.figures.score}%`} (sessions held ${ratioWords(s.figures.sessions)})`,
      ),
    },
    { h: 'The whole trust' },
    { list: figuresList(health.figures) },
    { link: { href: `${publicUrl}/trust/health`, text: 'Open trust execution health in wigboard' } },
  ];
  return { title, intro, blocks };
}

/** An outbox row for a due reminder, rendered now. */
export function outboxRow(db: Db, reminder: DueReminder, context: RenderContext): OutboxInsert {
  const message = renderReminder(db, reminder, context);
  return {
    key: reminder.key,
    kind: reminder.kind,
    personId: reminder.personId,
    toAddress: reminder.to,
    schoolId: reminder.schoolId,
    teamId: reminder.teamId,
    week: reminder.week,
    subject: message.subject,
    textBody: message.text,
    htmlBody: message.html,
    dueAt: reminder.at,
    staleAt: reminder.staleAt,
    nextAttemptAt: Math.max(reminder.at, context.now),
  };
}
