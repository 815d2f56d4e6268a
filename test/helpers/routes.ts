// Every route the app has registered, read back from Fastify's own route tree (so a test can check a table of routes is complete).
import type { FastifyInstance } from 'fastify';

export interface RegisteredRoute {
  method: string;
  url: string;
}

/**
 * Parses `app.printRoutes({ commonPrefix: true })`: each line is a node whose label continues its parent's
 * path, with the methods registered at that exact path in brackets. HEAD routes Fastify adds for every GET
 * are left out unless `withHead` is set.
 */
export function registeredRoutes(app: FastifyInstance, { withHead = false } = {}): RegisteredRoute[] {
  const tree = app.printRoutes({ commonPrefix: true });
  const stack: string[] = [];
  const routes: RegisteredRoute[] = [];
  for (const line of tree.split('\n')) {
    if (line.trim() === '') continue;
    const match = /^((?:│ {3}| {4}|├── |└── )*)(.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) throw new Error(`cannot read the route tree line "${line}"`);
    const depth = match[1]!.length / 4;
    const url = (stack[depth - 1] ?? '') + match[2]!;
    stack[depth] = url;
    stack.length = depth + 1;
    for (const method of (match[3] ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean)) {
      if (method === 'HEAD' && !withHead) continue;
      routes.push({ method, url });
    }
  }
  return routes.sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
}
