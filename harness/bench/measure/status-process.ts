// §8 `fbuild daemon status` as a whole process against a running daemon, beside `node -e 0`: spawn to exit,
// alternating the variants so that machine noise hits all alike. More variants split the difference:
// the same status through commander (`fbuild --state-dir D daemon status` is not a hot command line, so it
// takes main.ts's commander path: the gap is what the commander-free hot path, src/cli/hot.ts, saves),
// `fbuild --version` (Node + the bundled CLI with commander), a process that only imports, unbundled from
// dist/src, every module `daemon status` needs — what the bundle (scripts/build.mjs) saves is the gap — and the
// floor of any Node client of this protocol: bench/status-floor.cjs, the same status asked by hand in plain
// CommonJS (secret, connect, HMAC handshake, one request) — what is left above it is the kit's own code.
import { join } from 'node:path';
import { resolveConfig } from '../../../src/index.js';
import { cliEntry, entryPath, projectRoot } from '../../../src/paths.js';
import { atMost, type Figure, figure } from '../figures.js';
import { type Summary, summarize, tidySummary } from '../stats.js';
import { timeProcess } from '../timing.js';

export interface StatusSamples {
  status: Summary;
  /** the same status command line routed through commander */
  viaCommander: Summary;
  node: Summary;
  version: Summary;
  loadOnly: Summary;
  /** bench/status-floor.cjs: the same request from a hand-written minimal client */
  floorClient: Summary;
}

/** The modules `daemon status` needs, as URLs of dist/src files (no bundle), and nothing else. */
function statusModules(): string[] {
  return [
    import.meta.resolve('commander'),
    ...['src/version', 'src/cli/commands/daemon', 'src/daemon/shared/config', 'src/daemon/client/probe'].map(
      (m) => new URL(`file://${entryPath(m)}`).href,
    ),
  ];
}

export async function sampleStatusProcess(stateDir: string, spawns: number): Promise<StatusSamples> {
  const cli = cliEntry();
  const env = { ...process.env, FBUILD_DAEMON_DIR: stateDir };
  const status = () => timeProcess([cli, 'daemon', 'status'], env);
  const viaCommander = () => timeProcess([cli, '--state-dir', stateDir, 'daemon', 'status'], env);
  // DESIGN §8 names this floor: Node started with nothing to load (a measurement, not a program)
  const bare = () => timeProcess(['-e', '0'], env);
  const version = () => timeProcess([cli, '--version'], env);
  const loadOnly = () => timeProcess([entryPath('harness/programs/import-only'), ...statusModules()], env);
  const config = resolveConfig(env);
  const floorClient = () =>
    timeProcess(
      [
        join(projectRoot, 'bench', 'status-floor.cjs'),
        config.endpoint.path,
        config.files.secret,
        String(config.protocol),
      ],
      env,
    );
  // one of each first: page cache, and a check that status really finds the daemon
  const first = await status();
  if (first.code !== 0) throw new Error(`fbuild daemon status exited ${first.code} against a running daemon`);
  for (const run of [viaCommander, bare, version, loadOnly, floorClient]) {
    const r = await run();
    if (r.code !== 0) throw new Error(`a comparison process exited ${r.code}`);
  }
  const variants = [
    { run: status, out: [] as number[] },
    { run: viaCommander, out: [] as number[] },
    { run: bare, out: [] as number[] },
    { run: version, out: [] as number[] },
    { run: loadOnly, out: [] as number[] },
    { run: floorClient, out: [] as number[] },
  ];
  for (let i = 0; i < spawns; i++) {
    // rotate which goes first, so none always follows the same one's exit
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(i + k) % variants.length]!;
      const r = await v.run();
      if (r.code !== 0)
        throw new Error(`${v.run === status ? 'fbuild daemon status' : 'a comparison process'} exited ${r.code}`);
      v.out.push(r.ms);
    }
  }
  const [st, vc, nd, ver, lo, fl] = variants.map((v) => summarize(v.out)) as [
    Summary,
    Summary,
    Summary,
    Summary,
    Summary,
    Summary,
  ];
  return { status: st, viaCommander: vc, node: nd, version: ver, loadOnly: lo, floorClient: fl };
}

export function statusFigures(samples: StatusSamples): Figure[] {
  return [
    figure({
      id: 'status.vsNode',
      title: '`fbuild daemon status` process p50',
      unit: 'ms',
      value: samples.status.median,
      ref: { role: 'floor', label: '`node -e 0`', value: samples.node.median },
      target: atMost(1.3, 'floor'),
      details: {
        status: tidySummary(samples.status),
        viaCommander: tidySummary(samples.viaCommander),
        node: tidySummary(samples.node),
        version: tidySummary(samples.version),
        loadOnly: tidySummary(samples.loadOnly),
        floorClient: tidySummary(samples.floorClient),
      },
    }),
    figure({
      id: 'status.vsFloorClient',
      title: '`fbuild daemon status` p50 vs a hand-written minimal client of the protocol',
      unit: 'ms',
      value: samples.status.median,
      ref: { role: 'floor', label: 'bench/status-floor.cjs', value: samples.floorClient.median },
    }),
    figure({
      id: 'status.floorClient',
      title: 'hand-written minimal status client, process p50',
      unit: 'ms',
      value: samples.floorClient.median,
      ref: { role: 'floor', label: '`node -e 0`', value: samples.node.median },
    }),
    figure({
      id: 'status.hotPath',
      title: '`fbuild daemon status` p50, hot path vs through commander',
      unit: 'ms',
      value: samples.status.median,
      ref: { role: 'peer', label: 'the same status via commander', value: samples.viaCommander.median },
    }),
    figure({
      id: 'status.version',
      title: '`fbuild --version` process p50',
      unit: 'ms',
      value: samples.version.median,
      ref: { role: 'floor', label: '`node -e 0`', value: samples.node.median },
    }),
    figure({
      id: 'status.loadOnly',
      title: 'import status modules unbundled, process p50',
      unit: 'ms',
      value: samples.loadOnly.median,
      ref: { role: 'floor', label: '`node -e 0`', value: samples.node.median },
    }),
  ];
}
