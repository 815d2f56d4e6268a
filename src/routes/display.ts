// The wall display. A TV opens /display and shows a pairing code (and its QR code) and nothing else; a leader enters the
// code on their own device and chooses the board; the TV then holds a revocable, read-only credential in a cookie scoped to
// /display, and the board arrives and stays live over server-sent events. Leaders list and revoke their displays.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { renderSVG } from 'uqr';
import { listSchools, listTeams, listTeamsByIds, findSchool, findTeam, type Team } from '../db/queries/schools.ts';
import {
  claimPairing,
  createPairing,
  findDisplayByToken,
  findOpenPairing,
  findPairingBySecret,
  listDisplays,
  normaliseCode,
  pickUpCredential,
  revokeDisplay,
  spacedCode,
  PAIRING_MINUTES,
  type Display,
} from '../db/queries/displays.ts';
import { type DisplayKind, displayKinds, ledTeamIds } from '../domain/access.ts';
import {
  isTrustAdmin,
  ledSchoolIds,
  mayShowOnDisplay,
  readsWholeTrust,
  rules,
  type Principal,
} from '../domain/access.ts';
import { formatDateTime } from '../domain/dates.ts';
import { formatNumber, withUnit } from '../domain/wig.ts';
import { FormReader } from '../forms.ts';
import { HttpProblem } from '../errors.ts';
import { formBody, idParams, readId } from '../schemas.ts';
import { scoreboardHelpers, teamBoards } from '../read-models/team-board.ts';
import { wigTree } from '../read-models/overview.ts';

const DISPLAY_COOKIE = 'wigboard_display';
const PAIRING_COOKIE = 'wigboard_pairing';
/** The TV keeps its credential until it is revoked: five years, renewed on every visit. */
const DISPLAY_COOKIE_DAYS = 5 * 365;

const KIND_WORDS: Record<DisplayKind, string> = {
  team: "One team's scoreboard",
  rotation: "A school's teams, one after another",
  school: "A school's page",
  trust: 'The trust: the aligned WIG tree',
};

/** The board a display shows, as the hub knows it. */
function boardKey(display: Pick<Display, 'kind' | 'schoolId' | 'teamId'>): string {
  if (display.kind === 'team') return `team:${display.teamId}`;
  if (display.kind === 'rotation') return `rotation:${display.schoolId}`;
  if (display.kind === 'school') return `school:${display.schoolId}`;
  return 'trust';
}

/** What a leader may choose from when pairing: the teams and schools they lead (everything for trust readers). */
function choicesFor(app: FastifyInstance, principal: Principal) {
  const wholeTrust = readsWholeTrust(principal);
  const schools = wholeTrust ? listSchools(app.db) : listSchools(app.db, ledSchoolIds(principal));
  const ledTeams = ledTeamIds(principal);
  const teams: Pick<Team, 'id' | 'name' | 'schoolId'>[] = wholeTrust
    ? [...schools.flatMap((s) => listTeams(app.db, s.id)), ...listTeams(app.db, null)]
    : [
        ...schools.flatMap((s) => listTeams(app.db, s.id)),
        ...listTeamsByIds(app.db, ledTeams).filter((t) => !schools.some((s) => s.id === t.schoolId)),
      ];
  const schoolName = new Map(schools.map((s) => [s.id, s.name]));
  return {
    schools,
    teams: teams.map((t) => ({
      id: t.id,
      label:
        t.schoolId === null
          ? `${t.name} (trust)`
          : `${t.name} — ${schoolName.get(t.schoolId) ?? findSchool(app.db, t.schoolId)?.name ?? ''}`,
    })),
    // The trust tree by the display rule; a school's boards only offered to someone with a school to show.
    kinds: displayKinds
      .filter((k) => k !== 'trust' || mayShowOnDisplay(principal, { kind: 'trust', schoolId: null, teamId: null }))
      .filter((k) => k === 'team' || k === 'trust' || schools.length > 0),
  };
}

export default async function displayRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const cookieOptions = (days: number, path = '/display') =>
    ({ path, httpOnly: true, sameSite: 'lax', secure: app.config.secureCookies, maxAge: days * 86_400 }) as const;
  const updatedWords = () => `Updated ${formatDateTime(app.boards.changedAt, app.trust().timeZone)}`;

  // ——— How each board is drawn for a wall: rendered once per change, whoever watches ———
  const renderTeam = async (team: Team) => {
    const { boards, thisWeek } = teamBoards(app.db, team, app.today());
    return app.view('partials/display-team', {
      team,
      boards,
      thisWeek,
      ...scoreboardHelpers,
      withUnit,
      formatNumber,
      updated: updatedWords(),
    });
  };
  app.boardRenderer('team', async (id) => {
    const team = id === null ? null : findTeam(app.db, id);
    return team ? [await renderTeam(team)] : [];
  });
  app.boardRenderer('rotation', async (id) => {
    const teams = id === null ? [] : listTeams(app.db, id);
    const pages = await Promise.all(teams.map(renderTeam));
    return pages.length
      ? pages
      : [
          await app.view('partials/display-empty', {
            message: 'This school has no teams yet.',
            updated: updatedWords(),
          }),
        ];
  });
  // A school and the trust on a wall: the same overview and tree as the pages (rendered once per change), in a wall's frame.
  const framed = async (title: string, inner: string | undefined) => [
    await app.view('partials/display-overview', { title, inner: inner ?? '', updated: updatedWords() }),
  ];
  app.boardRenderer('school', async (id) => {
    const school = id === null ? null : findSchool(app.db, id);
    return school ? framed(school.name, (await app.boards.pages(`overview-school:${school.id}`))[0]) : [];
  });
  // The whole tree is taller than a screen: the wall shows it a part at a time (a trust WIG with one school's WIGs under
  // it), one part every N seconds, as a rotation shows teams.
  app.boardRenderer('trust', async () => {
    const tree = wigTree(app.db, app.today());
    const parts = tree.roots.flatMap((root) =>
      root.children.length ? root.children.map((child) => ({ ...root, children: [child] })) : [root],
    );
    return Promise.all(
      parts.map(
        async (root, i) =>
          (
            await framed(
              `The aligned WIGs${parts.length > 1 ? ` · ${i + 1} of ${parts.length}` : ''}`,
              await app.view('partials/wig-tree', { tree: { ...tree, roots: [root] }, ...scoreboardHelpers }),
            )
          )[0]!,
      ),
    );
  });

  /** The display this TV holds a credential for, or null (no cookie, or revoked). */
  const displayOf = (request: FastifyRequest): Display | null => {
    const token = request.cookies[DISPLAY_COOKIE];
    return token ? findDisplayByToken(app.db, token) : null;
  };

  const sendHtml = (reply: FastifyReply, html: string, status = 200) =>
    reply.code(status).header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(html);

  const pairingScreen = async (_request: FastifyRequest, reply: FastifyReply) => {
    const pairing = createPairing(app.db, app.now());
    if (!pairing) throw new HttpProblem(503, 'Too many displays are waiting to be paired. Try again in a few minutes.');
    reply.setCookie(PAIRING_COOKIE, pairing.secret, cookieOptions(PAIRING_MINUTES / 1440));
    reply.clearCookie(DISPLAY_COOKIE, { path: '/display' });
    const url = `${app.config.publicUrl}/displays/pair?code=${pairing.code}`;
    const html = await app.view('pages/display-pairing', {
      title: 'Pair this display',
      trustName: app.trust().name,
      code: spacedCode(pairing.code),
      qr: renderSVG(url, { border: 2 }),
      pairUrl: `${app.config.publicUrl}/displays/pair`,
      minutes: PAIRING_MINUTES,
    });
    return sendHtml(reply, html);
  };

  // ——— The TV ———
  app.get('/display', { config: { access: rules.public } }, async (request, reply) => {
    const display = displayOf(request);
    if (display) {
      const [page] = await app.boards.cached(`page:${display.id}`, async () => {
        const [board = ''] = await app.boards.pages(boardKey(display));
        return [
          await app.view('pages/display-board', { title: display.name, trustName: app.trust().name, display, board }),
        ];
      });
      return sendHtml(reply, page!);
    }
    // A TV whose code a leader has claimed picks up its credential (once) and shows its board.
    const secret = request.cookies[PAIRING_COOKIE];
    if (secret) {
      const credential = pickUpCredential(app.db, secret, app.now());
      if (credential) {
        reply.setCookie(DISPLAY_COOKIE, credential.token, cookieOptions(DISPLAY_COOKIE_DAYS));
        reply.clearCookie(PAIRING_COOKIE, { path: '/display' });
        return reply.redirect('/display', 303);
      }
      const pairing = findPairingBySecret(app.db, secret);
      if (pairing && pairing.expiresAt > app.now()) {
        return sendHtml(
          reply,
          await app.view('pages/display-pairing', {
            title: 'Pair this display',
            trustName: app.trust().name,
            code: spacedCode(pairing.code),
            qr: renderSVG(`${app.config.publicUrl}/displays/pair?code=${pairing.code}`, { border: 2 }),
            pairUrl: `${app.config.publicUrl}/displays/pair`,
            minutes: PAIRING_MINUTES,
          }),
        );
      }
    }
    return pairingScreen(request, reply);
  });

  // The pairing screen asks every few seconds whether its code has been claimed (204: not yet).
  app.get('/display/pairing', { config: { access: rules.public } }, async (request, reply) => {
    const secret = request.cookies[PAIRING_COOKIE];
    const pairing = secret ? findPairingBySecret(app.db, secret) : null;
    if (pairing && pairing.displayId === null && pairing.expiresAt > app.now()) return reply.code(204).send();
    // Claimed (pick it up), expired or unknown (a fresh code): either way, the TV loads /display again.
    return reply.code(204).header('HX-Redirect', '/display').send();
  });

  // The live board: the current board at once, then every change, and the next team every N seconds in a rotation.
  app.get('/display/stream', { config: { access: rules.public } }, async (request, reply) => {
    const display = displayOf(request);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    });
    if (!display) {
      // Revoked while the TV was away, or never paired: back to the pairing screen.
      res.end('event: revoked\ndata: revoked\n\n');
      return;
    }
    const stop = await app.boards.attach(display.id, boardKey(display), res, display.rotateSeconds);
    request.raw.on('close', stop);
  });

  // ——— Leaders ———
  const pairForm = (
    reply: FastifyReply,
    request: FastifyRequest,
    status: number,
    values: Record<string, string>,
    errors: Record<string, string> = {},
  ) =>
    reply.render({
      page: 'pages/display-pair',
      status,
      title: 'Pair a display',
      data: { values, errors, ...choicesFor(app, request.principal!), kindWords: KIND_WORDS },
    });

  app.get(
    '/displays/pair',
    {
      config: { access: rules.pairDisplays },
      schema: { querystring: Type.Object({ code: Type.Optional(Type.String({ maxLength: 20 })) }) },
    },
    async (request, reply) =>
      pairForm(reply, request, 200, { code: request.query.code ?? '', kind: 'team', rotateSeconds: '20' }),
  );

  app.post(
    '/displays/pair',
    {
      config: { access: rules.pairDisplays },
      schema: { body: formBody('code', 'name', 'kind', 'teamId', 'schoolId', 'rotateSeconds') },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const form = new FormReader(request.body);
      const typed = form.text('code', { label: 'Code shown on the display', required: true, max: 20 });
      const name = form.text('name', { label: 'Display name', required: true, max: 80 });
      const kind = form.choice('kind', 'What the display shows', displayKinds);
      const rotateSeconds = form.integer('rotateSeconds', 'Seconds per team', 5, 600);
      let schoolId: number | null = null;
      let teamId: number | null = null;
      if (kind === 'team') {
        const id = readId(form.raw('teamId'));
        const team = id === null ? null : findTeam(app.db, id);
        if (!team || !mayShowOnDisplay(principal, { kind, schoolId: team.schoolId, teamId: team.id }))
          form.fail('teamId', 'Choose one of your teams');
        else teamId = team.id;
      } else if (kind === 'rotation' || kind === 'school') {
        const id = readId(form.raw('schoolId'));
        const school = id === null ? null : findSchool(app.db, id);
        if (!school || !mayShowOnDisplay(principal, { kind, schoolId: school.id, teamId: null }))
          form.fail('schoolId', 'Choose one of your schools');
        else schoolId = school.id;
      } else if (kind === 'trust' && !mayShowOnDisplay(principal, { kind, schoolId: null, teamId: null })) {
        form.fail('kind', 'Only trust leaders can show the whole trust');
      }
      const code = typed && !form.errors.code ? normaliseCode(typed) : null;
      const pairing = code ? findOpenPairing(app.db, code, app.now()) : null;
      if (typed && !form.errors.code && !pairing)
        form.fail('code', 'No display is showing this code. Check it, or reload the display for a new one');
      if (!form.ok || !pairing || !kind) return pairForm(reply, request, 422, form.values, form.errors);
      const id = claimPairing(
        app.db,
        principal.personId,
        pairing.id,
        { name, kind, schoolId, teamId, rotateSeconds: rotateSeconds ?? 20 },
        app.now(),
      );
      if (id === null) {
        form.fail('code', 'This code has just expired or been used. Reload the display for a new one');
        return pairForm(reply, request, 422, form.values, form.errors);
      }
      request.session.flash = {
        kind: 'success',
        message: `${name} is paired. It shows its board within a few seconds.`,
      };
      return reply.redirectTo('/displays');
    },
  );

  app.get('/displays', { config: { access: rules.pairDisplays } }, async (request, reply) => {
    const principal = request.principal!;
    const admin = isTrustAdmin(principal);
    return reply.render({
      page: 'pages/displays',
      title: 'Wall displays',
      data: {
        displays: listDisplays(app.db, admin ? null : principal.personId),
        admin,
        kindWords: KIND_WORDS,
        now: app.now(),
      },
    });
  });

  app.post(
    '/displays/:displayId/revoke',
    { config: { access: rules.revokeDisplay }, schema: { params: idParams('displayId'), body: formBody() } },
    async (request, reply) => {
      const display = request.display!;
      revokeDisplay(app.db, request.principal!.personId, display.id, app.now());
      app.boards.revoke(display.id);
      request.session.flash = {
        kind: 'success',
        message: `${display.name} is revoked: it goes back to its pairing screen.`,
      };
      return reply.redirectTo('/displays');
    },
  );
}
