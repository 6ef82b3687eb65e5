// Another local user attacks the daemon while clients arrive (the hardening issue's first finding): as uid
// 65534 a process keeps opening connections to the daemon's endpoint and trickling bytes without ever
// finishing a handshake. It needs root to switch uid (setpriv) and says so otherwise.
// Must hold: the other user cannot even connect (the socket lives in the 0700 state directory), the clients
// are served by one daemon as without the attack, and the daemon does not fence itself.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { entryPath } from '../../src/paths.js';
import type { Violation } from '../engine/results.js';
import type { RoundSeen } from '../engine/round/scenario.js';
import { asOtherUser, needsOtherUser } from './support/privileges.js';
import type { FaultContext, FaultModule } from './types.js';

export const otherUserFlood: FaultModule = {
  name: 'other-user-flood',
  models: 'another local user floods the endpoint with connections that trickle bytes and never authenticate',
  holds: 'that user cannot connect at all; the clients are served by one daemon; the daemon is not fenced',
  // an abstract socket is reachable by any uid (why sockfile is the default): only the socket file keeps them out
  ownerships: ['sockfile'],
  expect: { hardened: 'single' },
  available: () => needsOtherUser(entryPath('harness/programs/flood')),
  start(fault) {
    const attack = { out: '' };
    return { during: () => flood(fault, attack), check: (seen) => judgeAttack(attack.out, seen) };
  },
};

async function flood(fault: FaultContext, attack: { out: string }): Promise<void> {
  const path = join(fault.ctx.stateDir, 'd.sock');
  const [cmd, ...args] = asOtherUser([process.execPath, entryPath('harness/programs/flood'), path, '3000']);
  const child = spawn(cmd!, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  fault.track(child);
  fault.note('uid 65534 floods the endpoint', { attacker: child.pid });
  child.stdout!.on('data', (d: Buffer) => (attack.out += d.toString()));
  await new Promise((r) => child.once('close', r));
}

function judgeAttack(report: string, seen: RoundSeen): Violation[] {
  let got: Record<string, number> = {};
  try {
    got = JSON.parse(report) as Record<string, number>;
  } catch {
    return [
      {
        invariant: 'I2',
        message: `the attacker did not report what it got: ${JSON.stringify(report)}`,
        evidence: {},
      },
    ];
  }
  const out: Violation[] = [];
  if ((got.connected ?? 0) > 0)
    out.push({
      invariant: 'I2',
      message: `another user connected to the daemon's endpoint ${got.connected} time(s).`,
      evidence: got,
    });
  if (seen.census.daemons.length > 1)
    out.push({
      invariant: 'I2',
      message: `${seen.census.daemons.length} daemons ran during the attack (a fenced one replaced?).`,
      evidence: { daemons: seen.census.daemons.map((d) => d.pid) },
    });
  return out;
}
