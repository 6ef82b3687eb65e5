// The daemons the product strategies can drive (`--daemon NAME` of reproduce, fault and stress): fbuild's own,
// and the hello example's (examples/hello-daemon), a tool's daemon program on the kit started through the kit's
// client with its `{ name, command }` definition — the same definition the example's client passes. Both are
// judged on the same invariants; the hello daemon hosts `greet` (and the kit's built-ins) only, so faults that
// need fbuild's own requests or CLI say so and are skipped for it (faults/types.ts `fbuildOnly`).
import { join } from 'node:path';
import { FbuildError } from '../../src/errors.js';
import { type DaemonDefinition, FBUILD_DEFINITION } from '../../src/index.js';
import { projectRoot } from '../../src/paths.js';
import type { RigDaemon } from '../engine/strategy.js';

export const RIG_DAEMONS: readonly RigDaemon[] = ['fbuild', 'hello'];

const SUMMARY: Record<RigDaemon, string> = {
  fbuild: "fbuild's own daemon (dist/bin/daemon.cjs)",
  hello: "the hello example's daemon program (examples/hello-daemon), clients call requestDaemon('greet')",
};

/** one line for --help */
export const DAEMON_HELP = `which daemon the product's clients start and use: ${RIG_DAEMONS.map((d) => `${d}: ${SUMMARY[d]}`).join('; ')} (default: fbuild)`;

/** each rig daemon's definition: a name added to RigDaemon does not compile until it has one */
const DEFINITIONS: Record<RigDaemon, DaemonDefinition> = {
  fbuild: FBUILD_DEFINITION,
  hello: {
    name: 'hello',
    command: [process.execPath, join(projectRoot, 'examples', 'hello-daemon', 'hello-daemon.mjs')],
  },
};

/** `--daemon`, checked where it enters: BAD_OPTION for a name the rig does not know. */
export function rigDaemon(raw: string | undefined): RigDaemon {
  const name = raw ?? 'fbuild';
  if (!(RIG_DAEMONS as readonly string[]).includes(name))
    throw new FbuildError(
      'BAD_OPTION',
      `--daemon must be one of ${RIG_DAEMONS.join(', ')}, got ${JSON.stringify(name)}`,
      {
        option: 'daemon',
        value: name,
      },
    );
  return name as RigDaemon;
}

/** The definition the clients pass (ensureDaemon/requestDaemon/stopDaemon `daemon`). */
export function daemonDefinition(name: RigDaemon): DaemonDefinition {
  return DEFINITIONS[name];
}
