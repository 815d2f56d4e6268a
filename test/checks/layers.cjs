// dependency-cruiser: the layers of src/ (STYLE.md rule 18), checked on every `npm test` (npm run check:layers).
// Chosen because it reads the real import graph, type-only imports included (tsPreCompilationDeps), and says which
// rule an import breaks. Arrows point one way: domain ← db/queries ← read-models ← routes and reminders.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'route-imports-route',
      comment: 'A route module never imports another route module: what two pages share belongs in src/read-models.',
      severity: 'error',
      from: { path: '^src/routes/' },
      to: { path: '^src/routes/' },
    },
    {
      name: 'outside-imports-routes',
      comment: 'Only src/app.ts registers the routes; nothing else imports from src/routes.',
      severity: 'error',
      from: { pathNot: ['^src/routes/', '^src/app\\.ts$'] },
      to: { path: '^src/routes/' },
    },
    {
      name: 'domain-is-pure',
      comment: 'src/domain takes plain values and returns plain values: it imports only src/domain (types included).',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'queries-below-read-models',
      comment: 'The database layer knows the domain and nothing above it.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/(read-models|routes|plugins|reminders|boards)/' },
    },
    {
      name: 'read-models-below-http',
      comment: 'A read model is plain data from queries and the domain, for any caller: no HTTP, no plugin, no job.',
      severity: 'error',
      from: { path: '^src/read-models/' },
      to: { path: '^src/(routes|plugins|reminders|boards)/' },
    },
    {
      name: 'jobs-and-hub-below-http',
      comment: 'The reminders and the board hub run without a request: they never import the HTTP layer.',
      severity: 'error',
      from: { path: '^src/(reminders|boards)/' },
      to: { path: '^src/(routes|plugins)/' },
    },
    {
      name: 'plugins-below-routes',
      comment: 'A plugin is the app\'s infrastructure (who is asking, rendering, the hub): it uses queries and the domain, never a route, a read model or a job.',
      severity: 'error',
      from: { path: '^src/plugins/' },
      to: { path: '^src/(routes|read-models|reminders)/' },
    },
    {
      name: 'no-circular',
      comment: 'An import cycle hides which module is underneath.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
