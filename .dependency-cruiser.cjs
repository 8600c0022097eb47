/**
 * The layer rules of incident-bot, checked by `npm run lint` (depcruise src --config .dependency-cruiser.cjs).
 *
 *   src/domain    pure rules and types: imports only the domain (and zod)
 *   src/app       the use cases and their ports (src/app/ports): imports app and domain, and only the
 *                 *types* of the logger, the metrics and the parsed config
 *   src/adapters  inbound (Slack, HTTP, alert parsers, CLI) and outbound (Redis, GitHub, PagerDuty,
 *                 runners, timers, Prometheus, Slack client): implement or call the ports
 *   src/features, src/build-app.ts, src/main.ts   the one composition root
 *   src/sandbox   the local sandbox (emulated Slack, GitHub, PagerDuty); nothing else depends on it
 *
 * Type-only imports count like any other (tsPreCompilationDeps): a port that names an adapter's
 * type is still a dependency on that adapter.
 */

/** The composition root: the only files that may build adapters into the app. */
const COMPOSITION_ROOT = '^src/(build-app\\.ts|main\\.ts|features/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-domain',
      comment:
        'The domain is pure: it imports other domain files and zod (schemas of the rules), nothing else: no Node built-ins, no app, no adapters, no config, no logger.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/', '^node_modules/zod/'] },
    },
    {
      name: 'app-imports-only-app-and-domain',
      comment:
        'Use cases import the app (their ports included) and the domain, plus Node built-ins (randomUUID, hashing). Logger, metrics and config are allowed as types only (next rule); no adapter, no npm package.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: {
        pathNot: ['^src/app/', '^src/domain/', '^src/(logger|metrics)\\.ts$', '^src/config/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'app-uses-logger-metrics-config-as-types-only',
      comment:
        'The app names the Logger, the Metrics and the parsed Config in its signatures but never builds or loads them: the composition root hands them in.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '^src/(logger\\.ts|metrics\\.ts|config/)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-adapter-in-app-or-domain',
      comment:
        'Nothing under src/app or src/domain imports src/adapters (nor the composition root or the sandbox): the use cases own their ports and the adapters implement them.',
      severity: 'error',
      from: { path: '^src/(app|domain)/' },
      to: { path: '^src/(adapters|features|sandbox)/|^src/build-app\\.ts$' },
    },
    {
      name: 'inbound-does-not-use-outbound',
      comment: [
        'An inbound adapter (a way in) talks to the use cases, not to outbound adapters. Exceptions, each on purpose:',
        '(1) the Slack front end renders with its own Slack views, ids and error descriptions and hands its Slack client',
        'to the Slack publisher: inbound/slack may use outbound/slack;',
        '(2) telling "Redis is unreachable" apart (is-redis-unreachable) so a route answers 503 instead of 500;',
        '(3) the CLI is its own small composition root (it builds a signal source and probes files and Slack for check-config).',
      ].join(' '),
      severity: 'error',
      from: { path: '^src/adapters/inbound/', pathNot: '^src/adapters/inbound/(cli|slack)/' },
      to: {
        path: '^src/adapters/outbound/',
        pathNot: ['^src/adapters/outbound/redis/is-redis-unreachable\\.ts$'],
      },
    },
    {
      name: 'inbound-slack-uses-only-outbound-slack',
      comment: 'Of the outbound adapters, the Slack handlers use only the Slack ones (exception (2) above aside).',
      severity: 'error',
      from: { path: '^src/adapters/inbound/slack/' },
      to: {
        path: '^src/adapters/outbound/',
        pathNot: ['^src/adapters/outbound/slack/', '^src/adapters/outbound/redis/is-redis-unreachable\\.ts$'],
      },
    },
    {
      name: 'only-the-composition-root-composes',
      comment:
        'build-app.ts and src/features/* wire adapters into use cases; only main.ts (and the root itself) imports them. An adapter or use case that imported them would be composing behind its back.',
      severity: 'error',
      from: { pathNot: COMPOSITION_ROOT },
      to: { path: COMPOSITION_ROOT },
    },
    {
      name: 'nothing-imports-the-sandbox',
      comment: 'The sandbox (emulated Slack, GitHub, PagerDuty for local runs) is a leaf: only the sandbox imports the sandbox.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/sandbox/' },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles: a cycle means two modules are one module in two files, and it hides which layer is on top.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      comment: 'A module nobody imports is dead code, or an entry point listed here (the entry points and type declarations).',
      severity: 'error',
      from: {
        orphan: true,
        pathNot: [
          '\\.d\\.ts$',
          '^src/main\\.ts$',
          '^src/sandbox/main\\.ts$',
          '^src/adapters/inbound/cli/main\\.ts$',
          '^src/sandbox/web/',
          '(^|/)\\.[^/]+\\.(js|cjs|mjs|ts|json)$',
        ],
      },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves to a file or an installed package: a typo or a removed file fails here, not at run time.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'not-to-dev-dependency',
      comment: 'Shipped code (src) never imports a devDependency: it would be missing from the installed package.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/sandbox/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    // Type-only imports are dependencies too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    skipAnalysisNotInRules: false,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
