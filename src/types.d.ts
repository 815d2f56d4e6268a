// Typed decorators shared by the plugins.
import type { Config } from './config.ts';
import type { Db } from './db/connection.ts';
import type { AccessRule, Principal } from './domain/access.ts';
import type { Person } from './db/queries/people.ts';
import type { School, Team } from './db/queries/schools.ts';
import type { TrustSettings } from './db/queries/trust.ts';
import type { Wig } from './db/queries/wigs.ts';
import type { LeadMeasure } from './db/queries/measures.ts';

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
  }
  interface FastifyRequest {
    person: Person | null;
    principal: Principal | null;
    school: School | null;
    team: Team | null;
    targetPerson: Person | null;
    wig: Wig | null;
    measure: LeadMeasure | null;
  }
  interface FastifyReply {
    render(options: RenderOptions): Promise<FastifyReply>;
    isFragmentRequest(): boolean;
  }
  interface FastifyContextConfig {
    access?: AccessRule;
  }
  interface Session {
    personId?: number;
    flash?: Flash;
  }
}
