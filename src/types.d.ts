// Typed decorators shared by the plugins.
import type { Config } from './config.ts';
import type { IsoDate } from './domain/calendar.ts';
import type { Db } from './db/connection.ts';
import type { AccessRule, Principal } from './domain/access.ts';
import type { Person } from './db/queries/people.ts';
import type { School, Team } from './db/queries/schools.ts';
import type { TrustSettings } from './db/queries/trust.ts';
import type { Wig } from './db/queries/wigs.ts';
import type { Display } from './db/queries/displays.ts';
import type { LeadMeasure } from './db/queries/measures.ts';
import type { PathRequest } from './db/queries/wig-sessions.ts';
import type { SignInWay } from './plugins/sign-in-sessions.ts';

export interface Flash {
  kind: 'success' | 'info';
  message: string;
  link?: string;
}

export interface RenderOptions {
  /** The whole page (views/pages/…), which names its layout and includes the partial. */
  page: string;
  /** The partial an htmx request gets alone; its root element's id is the file's name. */
  partial?: string;
  status?: number;
  title: string;
  data?: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Readonly<Config>;
    db: Db;
    trust(): TrustSettings;
    /** The current instant (ms); pinned in tests. */
    now(): number;
    /** Today's date in the trust's time zone, from now(). */
    today(): IsoDate;
  }
  interface FastifyRequest {
    person: Person | null;
    principal: Principal | null;
    school: School | null;
    team: Team | null;
    targetPerson: Person | null;
    wig: Wig | null;
    measure: LeadMeasure | null;
    /** The request for help a route is about (`:pathRequestId`). */
    pathRequest: PathRequest | null;
    /** The wall display a route is about (`:displayId`), never a revoked one. */
    display: Display | null;
    /** Signs this request's browser in as the person: a new session id, then the person (src/plugins/sign-in-sessions.ts). */
    signIn(personId: number, via: SignInWay): Promise<void>;
  }
  interface FastifyReply {
    render(options: RenderOptions): Promise<FastifyReply>;
    isFragmentRequest(): boolean;
    /** After a change: 303 to `location`, or HX-Redirect for an htmx request. */
    redirectTo(location: string): FastifyReply;
  }
  interface FastifyContextConfig {
    access?: AccessRule;
  }
  interface Session {
    personId?: number;
    flash?: Flash;
  }
}
