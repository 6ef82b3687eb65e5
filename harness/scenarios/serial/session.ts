// The serial scenario (`harness serial`): per round, a pty device (its own process, Debian's socat), M monitors
// and K deploys released together against its port — through one hardened daemon (fbuild clients), or through
// naive duplicate daemons that each open the port. I8 is the checkers' (this session hands them the port and
// the /proc samples of its holders); this session adds what a user would see: every deploy answered, every
// monitor streaming before and again after the deploys. A naive round is judged by I8 alone: its duplicates
// are the point, started by the rig itself, so I1–I7 describe nothing there.
import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPtyDevice } from '../../../fixtures/serial/launch.js';
import { fdHolders } from '../../../src/process/index.js';
import { startClient } from '../../engine/client-process.js';
import { killAndWait, pidsOf } from '../../engine/kill.js';
import type { Violation } from '../../engine/results.js';
import type { RoundHandle, ScenarioFactory } from '../../engine/round/scenario.js';
import { argvOf, type SerialClients } from './clients.js';
import { play } from './play.js';
import { serialRound } from './record.js';
import type { SerialLoad, Session } from './types.js';

export function serialSession(load: SerialLoad): ScenarioFactory {
  return (round) => {
    let s: Session | null = null;
    let device: Awaited<ReturnType<typeof startPtyDevice>> | null = null;
    return {
      async prepare() {
        device = await startPtyDevice(join(round.scratch, 'tty'), ['--tick-ms', '100', '--baud', `${load.baud}`], {
          ...process.env,
          FBUILD_EVENT_LOG: round.ctx.eventLog,
        });
        s = session(round, load, device.link);
      },
      during: () => play(s!),
      sample() {
        if (s === null) return;
        const pids = (fdHolders(s.link) ?? []).filter((x) => x.name !== 'socat').map((x) => x.pid);
        s.samples.push({ mono: process.hrtime.bigint().toString(), pids });
      },
      checkInput: () => ({ serial: s === null ? null : { port: s.port, holderSamples: s.samples } }),
      judge: (violations) => (load.hardened ? violations : violations.filter((v) => v.invariant === 'I8')),
      check: (): Violation[] =>
        (s?.problems ?? []).map((message) => ({ invariant: 'I8', message, evidence: { port: s!.port } })),
      raceReproduced: (violations) => violations.some((v) => v.invariant === 'I8'),
      annotate: (seen) => (s === null ? {} : { serial: serialRound(s, seen.events) }),
      async cleanup() {
        if (s !== null) await killAndWait(pidsOf([...s.monitors, ...s.deploys].map((c) => c.child)), 0);
        await device?.stop();
      },
    };
  };
}

function session(round: RoundHandle, load: SerialLoad, link: string): Session {
  const image = join(round.scratch, 'fw.bin');
  writeFileSync(
    image,
    Buffer.from(Array.from({ length: load.imageBytes }, (_, i) => (i * 131 + round.ctx.round) & 0xff)),
  );
  const clients: SerialClients = { hardened: load.hardened, link, image, stateDir: round.ctx.stateDir };
  const env = { ...process.env, FBUILD_DAEMON_DIR: round.ctx.stateDir, FBUILD_EVENT_LOG: round.ctx.eventLog };
  const s: Session = {
    ...{ load, link, port: realpathSync(link), samples: [], monitors: [], deploys: [], codes: [] },
    ...{ streamedBefore: 0, streamedAfter: 0, problems: [] },
    start(role) {
      const c = startClient(argvOf(clients, role), env);
      round.track(c.child);
      (role === 'monitor' ? s.monitors : s.deploys).push(c);
      return c;
    },
  };
  return s;
}
