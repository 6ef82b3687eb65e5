// The serial device of a fault's round: the pseudo-terminal device of the fixtures (fixtures/serial/pty-device.ts,
// a socat pty pair driven by its own process), started in the round's scratch directory and tracked, so it is
// killed by pid whatever happens to the round. Linux only, and it needs Debian's socat.
import { join } from 'node:path';
import { hasSocat, type PtyDevice, startPtyDevice } from '../../../fixtures/serial/launch.js';
import type { FaultContext } from '../types.js';

/** null when a pty device can run here, else why not (the fault then says SKIP). */
export function needsPtyDevice(): string | null {
  if (process.platform !== 'linux') return 'needs Linux pseudo-terminals';
  return hasSocat() ? null : 'needs socat (Debian package socat)';
}

/** A pty device at `<scratch>/<name>` with the fixture's options (`--flood 100`, `--tick-ms 500` …). */
export async function ptyDevice(fault: FaultContext, name: string, args: string[] = []): Promise<PtyDevice> {
  const dev = await startPtyDevice(join(fault.scratch, name), args);
  fault.track(dev.proc);
  fault.note(`a pty device at ${dev.link}${args.length > 0 ? ` (${args.join(' ')})` : ''}`, { link: dev.link });
  return dev;
}
