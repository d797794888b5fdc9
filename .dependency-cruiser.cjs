/**
 * Which layer may import what (docs/architecture.md, "Layers"). Run by `npm run lint:deps` and in CI;
 * each rule below is one line of that table. Every folder under src/ belongs to exactly one layer
 * (LAYERS): a new folder is an error until it is given one here.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const LAYERS = [
  'main\\.ts',
  'app\\.ts',
  'composition',
  'config',
  'domain',
  'shared',
  'observability',
  'storage',
  'video',
  'identity',
  'webhooks',
  'jobs',
  'services',
  'graphql',
  'http',
];
const IN_A_LAYER = `^src/(${LAYERS.join('|')})(/|$)`;

module.exports = {
  forbidden: [
    {
      name: 'every-module-in-a-layer',
      comment: 'A module under src/ outside every layer of LAYERS (a new folder nobody placed) imports something.',
      severity: 'error',
      from: { path: '^src/', pathNot: IN_A_LAYER },
      to: {},
    },
    {
      name: 'nothing-imports-outside-the-layers',
      comment: 'A module under src/ outside every layer of LAYERS (a new folder nobody placed) is imported.',
      severity: 'error',
      from: {},
      to: { path: '^src/', pathNot: IN_A_LAYER },
    },
    {
      name: 'no-circular',
      comment: 'An import cycle makes two modules one: neither can be read, tested or moved alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'src/domain holds the rules and the record types: it imports nothing outside itself.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'shared-has-no-domain',
      comment: 'src/shared is small utilities with no domain words: only packages and itself.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^(src|dev|test|bench)/', pathNot: '^src/shared/' },
    },
    {
      name: 'adapters-see-domain-and-shared',
      comment:
        'Adapters (identity, webhooks, storage) import only their own folder, the domain and shared; the stores also implement the job port.',
      severity: 'error',
      from: { path: '^src/(storage|identity|webhooks)/' },
      to: {
        path: '^(src|dev|test|bench)/',
        pathNot: ['^src/($1|domain|shared)/', '^src/jobs/port\\.ts$'],
      },
    },
    {
      name: 'video-providers-see-the-port',
      comment:
        'A video provider (src/video/<provider>/) imports its own folder, the video port, the domain and shared: never another provider.',
      severity: 'error',
      from: { path: '^src/video/([^/]+)/' },
      to: {
        path: '^(src|dev|test|bench)/',
        pathNot: ['^src/video/$1/', '^src/video/port\\.ts$', '^src/(domain|shared)/'],
      },
    },
    {
      name: 'video-factory-builds-providers',
      comment:
        'src/video/port.ts and create-video-provider.ts (the factory: the one module that knows every provider folder) see the video folder, the domain and shared.',
      severity: 'error',
      from: { path: '^src/video/[^/]+\\.ts$' },
      to: { path: '^(src|dev|test|bench)/', pathNot: '^src/(video|domain|shared)/' },
    },
    {
      name: 'only-the-factory-knows-providers',
      comment: 'A provider folder is imported by the factory (and the composition root), never by another layer.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/video/', '^src/(main\\.ts|app\\.ts|composition/)'] },
      to: { path: '^src/video/[^/]+/' },
    },
    {
      name: 'jobs-engine-sees-domain-and-shared',
      comment: 'The job engine (runner, retry policy, port) knows jobs, not visits: its own folder, the domain clock and shared.',
      severity: 'error',
      from: { path: '^src/jobs/' },
      to: { path: '^(src|dev|test|bench)/', pathNot: '^src/(jobs|domain|shared)/' },
    },
    {
      name: 'services-see-ports-not-adapters',
      comment:
        'Use cases import the domain, shared and the ports of adapters (the video port src/video/port.ts, never a provider folder), never an adapter implementation, the config or an entry point.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: {
        path: '^(src|dev|test|bench)/',
        pathNot: [
          '^src/(services|domain|shared|jobs)/',
          '^src/storage/ports\\.ts$',
          '^src/webhooks/port\\.ts$',
          '^src/identity/ports\\.ts$',
          '^src/video/port\\.ts$',
        ],
      },
    },
    {
      name: 'entry-points-go-through-services',
      comment: 'GraphQL and HTTP reach the system through services; they never import an adapter or the config.',
      severity: 'error',
      from: { path: '^src/(graphql|http)/' },
      to: { path: '^(src|dev|test|bench)/', pathNot: '^src/(graphql|http|services|domain|shared|observability)/' },
    },
    {
      name: 'graphql-below-http',
      comment: 'The HTTP server mounts GraphQL, not the other way round.',
      severity: 'error',
      from: { path: '^src/graphql/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'config-sees-domain-and-shared',
      comment: 'Only src/config reads the environment; it produces domain settings and imports nothing else.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^(src|dev|test|bench)/', pathNot: '^src/(config|domain|shared)/' },
    },
    {
      name: 'observability-sees-shared',
      comment: 'Logging and metrics know nothing of the domain.',
      severity: 'error',
      from: { path: '^src/observability/' },
      to: { path: '^(src|dev|test|bench)/', pathNot: '^src/(observability|shared)/' },
    },
    {
      name: 'only-the-composition-root-builds',
      comment:
        'app.ts, main.ts and src/composition (adapters, services, HTTP wiring) are imported by entry scripts (main, dev, tests, bench) and by each other, never by the layers.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(main\\.ts|app\\.ts|composition/)' },
      to: { path: '^src/((app|main)\\.ts|composition/)' },
    },
    {
      name: 'no-dev-code-in-production',
      comment: 'The Kaleyra sandbox and the demo (dev/) are for the demo, tests and benchmarks only.',
      severity: 'error',
      from: { pathNot: '^(dev|test|bench)/' },
      to: { path: '^dev/' },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      from: { path: '^(src|dev)/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
