// A team's WIG sessions as a calendar subscription: each person makes (and stops) their own secret feed URL for a team.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { activeFeed, createFeed, feedByToken, revokeFeed, touchFeed } from '../db/queries/calendar-feeds.ts';
import { currentAndNextYear, schoolCalendar } from '../db/queries/calendar.ts';
import { assignmentsOf } from '../db/queries/people.ts';
import type { Db } from '../db/connection.ts';
import { rules } from '../domain/access.ts';
import { dueSessions } from '../domain/cadence.ts';
import type { DateRange, IsoDate } from '../domain/calendar.ts';
import { weekdayName } from '../domain/dates.ts';
import { sessionFeed } from '../domain/ics.ts';
import { HttpProblem } from '../errors.ts';
import { formBody, teamParams, tokenParams } from '../schemas.ts';

/** The feed covers the current academic year and the next one (when they are set up): what a calendar needs to look ahead. */
function feedPeriod(db: Db, today: IsoDate): DateRange | null {
  const years = currentAndNextYear(db, today);
  if (years.length === 0) return null;
  return { start: years[0]!.startDate, end: years.at(-1)!.endDate };
}

export default async function calendarFeedRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const feedUrl = (token: string) => `${app.config.publicUrl}/calendar/${token}.ics`;

  app.get(
    '/teams/:teamId/calendar',
    { config: { access: rules.readTeam }, schema: { params: teamParams } },
    async (request, reply) => {
      const team = request.team!;
      return reply.render({
        page: 'pages/calendar-feed',
        title: `Calendar feed — ${team.name}`,
        data: { team, feed: activeFeed(app.db, request.person!.id, team.id), url: null, weekdayName },
      });
    },
  );

  app.post(
    '/teams/:teamId/calendar',
    { config: { access: rules.readTeam }, schema: { params: teamParams, body: formBody() } },
    async (request, reply) => {
      const team = request.team!;
      const token = createFeed(app.db, request.person!.id, team.id, app.now());
      // The URL is shown this once: only its hash is kept, so the page is not cached and not redirected to.
      return reply.render({
        page: 'pages/calendar-feed',
        status: 201,
        title: `Calendar feed — ${team.name}`,
        data: { team, feed: activeFeed(app.db, request.person!.id, team.id), url: feedUrl(token), weekdayName },
      });
    },
  );

  app.post(
    '/teams/:teamId/calendar/stop',
    { config: { access: rules.readTeam }, schema: { params: teamParams, body: formBody() } },
    async (request, reply) => {
      const team = request.team!;
      const stopped = revokeFeed(app.db, request.person!.id, team.id, app.now());
      request.session.flash = {
        kind: stopped ? 'success' : 'info',
        message: stopped
          ? 'Your calendar feed is stopped: its link no longer works.'
          : 'You had no calendar feed for this team.',
      };
      return reply.redirectTo(`/teams/${team.id}/calendar`);
    },
  );

  // Public: calendar apps fetch it without signing in. The token is the only key, and it reveals only the session times.
  app.get(
    '/calendar/:token.ics',
    { config: { access: rules.public }, schema: { params: tokenParams } },
    async (request, reply) => {
      const feed = feedByToken(app.db, request.params.token);
      if (!feed || feed.personDisabledAt !== null) throw new HttpProblem(404, 'There is no such calendar feed.');
      // Someone who has left the team (and does not lead above it) no longer gets its sessions.
      const principal = { personId: feed.personId, assignments: assignmentsOf(app.db, feed.personId) };
      if (!rules.readTeam.allows(principal, { team: { id: feed.team.id, schoolId: feed.team.schoolId } }))
        throw new HttpProblem(404, 'There is no such calendar feed.');
      const now = app.now();
      const period = feedPeriod(app.db, app.today());
      const sessions = period ? dueSessions(feed.team, period, schoolCalendar(app.db, feed.team.schoolId)) : [];
      touchFeed(app.db, feed.id, now);
      const body = sessionFeed({
        teamId: feed.team.id,
        teamName: feed.team.name,
        slot: feed.team,
        sessions,
        timeZone: app.trust().timeZone,
        now,
        uidHost: new URL(app.config.publicUrl).hostname,
      });
      return reply.header('Cache-Control', 'private, max-age=900').type('text/calendar; charset=utf-8').send(body);
    },
  );
}
