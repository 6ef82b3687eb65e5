// Layering rules (DESIGN §1), checked in CI by `pnpm lint`. Each rule says why it exists; a violation names
// the importing and the imported file.
/** modules the rig may import from src/: the public entry point and leaf utilities */
const RIG_MAY_IMPORT = [
  '^src/index\\.ts$',
  '^src/(errors|clock|events|paths|version)\\.ts$',
  '^src/fsutil/',
  '^src/cli/epipe\\.ts$',
  '^src/lock/identity/(proc-stat|proc-cmdline|proc-pids|proc-fds|proc-environ|liveness|machine)\\.ts$',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle means two modules cannot be understood (or loaded lazily) apart.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'src-not-to-harness',
      severity: 'error',
      comment: 'The product never depends on its test rig.',
      from: { path: '^src/' },
      to: { path: '^harness/' },
    },
    {
      name: 'lock-knows-no-daemon',
      severity: 'error',
      comment: 'src/lock is a library of its own: it knows nothing of the daemon, its CLI or its protocol.',
      from: { path: '^src/lock/' },
      to: { path: '^src/(daemon|cli|index\\.ts)' },
    },
    {
      name: 'native-is-a-leaf',
      severity: 'error',
      comment: 'src/native wraps C library calls (koffi): it imports nothing else of the kit, so anything may use it.',
      from: { path: '^src/native/' },
      to: { path: '^src/', pathNot: '^src/native/' },
    },
    {
      name: 'client-not-to-server',
      severity: 'error',
      comment: 'Client processes never load code only the daemon runs (cost, and it keeps the roles apart).',
      from: { path: '^src/daemon/client/' },
      to: { path: '^src/daemon/server/' },
    },
    {
      name: 'shared-is-shared',
      severity: 'error',
      comment: 'src/daemon/shared is what both sides run: it may not lean on either side.',
      from: { path: '^src/daemon/shared/' },
      to: { path: '^src/daemon/(client|server)/' },
    },
    {
      name: 'server-uses-client-connect-only',
      severity: 'error',
      comment:
        "The daemon's self-check connects to its own endpoint with the client's connect, on purpose; nothing else of the client.",
      from: { path: '^src/daemon/server/' },
      to: { path: '^src/daemon/client/', pathNot: '^src/daemon/client/(connect|connection)\\.ts$' },
    },
    {
      name: 'cli-not-to-server',
      severity: 'error',
      comment: 'The fbuild CLI is a client: it starts the daemon as a process, never loads its code.',
      from: { path: '^src/cli/' },
      to: { path: '^src/daemon/server/' },
    },
    {
      name: 'rig-uses-public-api',
      severity: 'error',
      comment: 'The rig drives the product as an embedder would: through src/index.ts, plus leaf utilities.',
      from: { path: '^harness/' },
      to: { path: '^src/', pathNot: RIG_MAY_IMPORT },
    },
    {
      name: 'src-not-to-dev-deps',
      severity: 'error',
      comment: 'What ships may not need a devDependency at run time.',
      from: { path: '^(src|harness)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve fails at run time.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|reports)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
