// Layering rules (DESIGN §1), checked in CI by `pnpm lint`. Each rule says why it exists; a violation names
// the importing and the imported file.
/**
 * modules the rig may import from src/: the public entry point, the process module (through its face), and the
 * leaf utilities the rig writes its own files and logs with — errors, the clock and the poll loop, the event
 * log, entry paths, atomic writes and the guarded opening of state files, and the CLI's EPIPE guard
 */
const RIG_MAY_IMPORT = [
  '^src/index\\.ts$',
  '^src/process/index\\.ts$',
  '^src/(errors|clock|poll|events|paths)\\.ts$',
  '^src/fsutil/(atomic-write|open-state-file)\\.ts$',
  '^src/cli/epipe\\.ts$',
];

/** modules the fixtures may import from src/: leaves that load nothing of the daemon, its client or its locks */
const FIXTURES_MAY_IMPORT = [
  '^src/(clock|errors|events|paths)\\.ts$',
  // ending the processes they start
  '^src/process/index\\.ts$',
  // the deploy wire format, which the simulated device and the test uploader speak
  '^src/daemon/shared/deploy/[^/]+\\.ts$',
];

// The rig's stages, lowest first. The engine's base (pool, worker loop, kill, event log, results schema …)
// knows no other part of the rig; the census, the checkers and the reporters build on it; the engine's round and
// run drive them; strategies, targets, faults and scenarios are what a round runs; the commands sit on top and
// never import one another (a helper two commands need belongs in a lower stage). The child programs are
// entries: run as processes, never imported (but for the types of the messages they exchange).
const COMMANDS = '^harness/(reproduce|fault-injection|stress|serial|bench|survey|merge)/';
const COMMAND_MODULES = '(^harness/cli\\.ts$|/command\\.ts$)';
const ENGINE_BASE = '^harness/engine/[^/]+\\.ts$';
const ENGINE_DRIVE = '^harness/engine/(round|run)/';
const SCENARIO_LAYER = '^harness/(strategies|targets|faults|scenarios)/';

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
      name: 'process-is-lowest',
      comment:
        'src/process (who a process is, the listing, ending processes) is the lowest layer: it builds on errors, the clock and the poll loop only, so locks, fsutil, the daemon, doctor and the rig may all use it.',
      severity: 'error',
      from: { path: '^src/process/' },
      to: { path: '^src/', pathNot: '^src/(process/|errors\\.ts$|clock\\.ts$|poll\\.ts$)' },
    },
    {
      name: 'process-through-its-face',
      severity: 'error',
      comment: 'src/process is used through src/process/index.ts: its files (twins, /proc readers) may move.',
      from: { path: '^(src|harness|fixtures)/', pathNot: '^src/process/' },
      to: { path: '^src/process/', pathNot: '^src/process/index\\.ts$' },
    },
    {
      name: 'fsutil-is-a-leaf',
      severity: 'error',
      comment:
        'src/fsutil (guarded opens, atomic writes, retries) imports nothing of the kit but errors, the process module and its test hook (a simulated sharing violation), so anything may use it.',
      from: { path: '^src/fsutil/' },
      to: { path: '^src/', pathNot: '^src/(fsutil/|process/|errors\\.ts$|test-hooks\\.ts$)' },
    },
    {
      name: 'native-is-a-leaf',
      severity: 'error',
      comment: 'src/native wraps C library calls (koffi): it imports nothing else of the kit, so anything may use it.',
      from: { path: '^src/native/' },
      to: { path: '^src/', pathNot: '^src/native/' },
    },
    {
      name: 'deploy-wire-is-a-leaf',
      severity: 'error',
      comment:
        "src/daemon/shared/deploy (frames, line splitter, sender) is spoken by the daemon, the simulated device and the rig's naive daemons: it builds on errors and the clock only, so each of them loads just the wire format.",
      from: { path: '^src/daemon/shared/deploy/' },
      to: { path: '^src/', pathNot: '^src/(daemon/shared/deploy/|errors\\.ts$|clock\\.ts$)' },
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
      name: 'rig-commands-apart',
      severity: 'error',
      comment: 'No rig command imports another command: what two commands share lives in a lower stage.',
      from: { path: `${COMMANDS}` },
      to: { path: COMMANDS, pathNot: '^harness/$1/' },
    },
    {
      name: 'rig-command-modules-from-cli',
      severity: 'error',
      comment: 'A command module (command.ts) is loaded by harness/cli.ts when its command is named, by nothing else.',
      from: { path: '^harness/', pathNot: '^harness/cli\\.ts$' },
      to: { path: '^harness/[^/]+/command\\.ts$' },
    },
    {
      name: 'rig-stages-below-commands',
      severity: 'error',
      comment: 'The engine, census, checkers, reporters, strategies, targets, faults and scenarios serve the commands.',
      from: { path: '^harness/', pathNot: `${COMMANDS}|${COMMAND_MODULES}` },
      to: { path: `${COMMANDS}|^harness/cli\\.ts$` },
    },
    {
      name: 'rig-engine-base-lowest',
      severity: 'error',
      comment: "The engine's base knows no other part of the rig (the round and the run that drive it are above).",
      from: { path: ENGINE_BASE },
      to: {
        path: `^harness/(census|checkers|report|programs)/|${SCENARIO_LAYER}|${ENGINE_DRIVE}|^harness/options\\.ts$`,
      },
    },
    {
      name: 'rig-census-checkers-report-below-round',
      severity: 'error',
      comment: 'The census, the checkers and the reporters are used by the round engine; they do not drive rounds.',
      from: { path: '^harness/(census|checkers|report)/', pathNot: COMMAND_MODULES },
      to: { path: `${ENGINE_DRIVE}|${SCENARIO_LAYER}|^harness/programs/|^harness/options\\.ts$` },
    },
    {
      name: 'rig-census-checkers-apart',
      severity: 'error',
      comment: 'Counting daemons (census) and judging a round (checkers) are separate concerns; reports may read both.',
      from: { path: '^harness/(census|checkers)/' },
      to: { path: '^harness/(census|checkers|report)/', pathNot: '^harness/$1/' },
    },
    {
      name: 'rig-round-below-run',
      severity: 'error',
      comment: 'A round knows nothing of the run around it (its pool, its reports): the run drives the rounds.',
      from: { path: '^harness/engine/round/' },
      to: { path: '^harness/engine/run/' },
    },
    {
      name: 'rig-faults-below-scenarios',
      severity: 'error',
      comment: 'A scenario adapts a fault (or a strategy) to a round, not the other way round.',
      from: { path: '^harness/(strategies|targets|faults)/' },
      to: { path: '^harness/scenarios/' },
    },
    {
      name: 'rig-strategies-know-no-faults',
      severity: 'error',
      comment: 'A strategy or a target drives a daemon the same way whatever a fault does to the round.',
      from: { path: '^harness/(strategies|targets)/' },
      to: { path: '^harness/faults/' },
    },
    {
      name: 'rig-programs-are-entries',
      severity: 'error',
      comment: "The rig's child programs run as processes (by path); only the types of their messages are imported.",
      from: {},
      to: { path: '^harness/programs/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'fixtures-use-leaf-src',
      severity: 'error',
      comment: 'Test inputs (devices, uploaders) load only the leaf modules of src/ they speak, nothing of the daemon.',
      from: { path: '^fixtures/' },
      to: { path: '^src/', pathNot: FIXTURES_MAY_IMPORT },
    },
    {
      name: 'fixtures-not-to-rig',
      severity: 'error',
      comment: 'Test inputs do not depend on the rig that uses them.',
      from: { path: '^fixtures/' },
      to: { path: '^harness/' },
    },
    {
      name: 'src-not-to-dev-deps',
      severity: 'error',
      comment: 'What ships may not need a devDependency at run time.',
      from: { path: '^(src|harness|fixtures)/' },
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
