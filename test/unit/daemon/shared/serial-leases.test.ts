// Who else holds a port, the one rule the daemon and doctor share: socat keeping a pseudo-terminal pair is the
// device side of a virtual port, not a rival; socat holding anything else (a real tty it bridges) is a rival.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSocat } from '../../../../fixtures/serial/launch.js';
import { portRivals } from '../../../../src/daemon/shared/serial-leases.js';
import { waitFor } from '../../../helpers/daemon.js';
import { childTracker } from '../../../helpers/procs.js';
import { tempDirs } from '../../../helpers/tmp.js';
import { image } from '../server/serial/helpers.js';

const procs = childTracker();
const dir = tempDirs('fbuild-rivals-');

describe.skipIf(!hasSocat())('portRivals', () => {
  it('does not count socat on the pty pair it made, counts it on anything else, and never counts the excluded', async () => {
    const d = dir();
    const link = join(d, 'tty');
    const pair = procs.start('socat', [`pty,raw,echo=0,link=${link}`, `pty,raw,echo=0,link=${link}.dev`]);
    await waitFor(() => existsSync(link) && existsSync(`${link}.dev`), 30_000, 'the pty pair');
    expect(portRivals(link, [])).toEqual([]);

    const file = image(d, 10); // socat reading a file it never finishes: stands in for a tty it bridges
    const bridge = procs.start('socat', ['-u', `OPEN:${file},ignoreeof`, 'OPEN:/dev/null']);
    const found = await waitFor(() => portRivals(file, [])?.find((h) => h.pid === bridge.pid), 30_000, 'socat on it');
    expect(found).toEqual({ pid: bridge.pid, name: 'socat' });
    expect(portRivals(file, [bridge.pid!])).toEqual([]);
    expect(pair.exitCode).toBeNull();
  });
});
