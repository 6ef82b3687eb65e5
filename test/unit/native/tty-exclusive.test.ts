// TIOCEXCL through the FFI: a pty held by this process with exclusive mode set refuses every other non-root
// open with EBUSY; without it, the same open succeeds (so the test can tell the ioctl from its absence). The
// other opener runs as uid 65534: root passes TIOCEXCL by design.
import { closeSync, existsSync, openSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { clearTtyExclusive, setTtyExclusive } from '../../../src/native/tty-exclusive.js';
import { otherUidUnavailable, runAsOtherUid } from '../../helpers/other-uid.js';
import { childTracker } from '../../helpers/procs.js';
import { tempDirs } from '../../helpers/tmp.js';

const openProbe = `try { require('fs').openSync(process.argv[1], 'r+'); console.log('opened'); } catch (e) { console.log(e.code); }`;

describe('setTtyExclusive', () => {
  const procs = childTracker();
  const skip = otherUidUnavailable();
  const tempDir = tempDirs();

  async function ptyPair(dir: string): Promise<string> {
    const link = join(dir, 'tty');
    const socat = procs.start('socat', [
      `pty,raw,echo=0,link=${link},mode=666`,
      `pty,raw,echo=0,link=${link}-peer,mode=666`,
    ]);
    const until = Date.now() + 30_000;
    while (!existsSync(link) || !existsSync(`${link}-peer`)) {
      if (socat.exitCode !== null || Date.now() > until) throw new Error('socat did not create the pty pair');
      await new Promise((r) => setTimeout(r, 20));
    }
    return realpathSync(link); // /dev/pts/N: the temp dir (0700) is not reachable by the other user
  }

  it.skipIf(skip !== null)('makes a held pty refuse other users (EBUSY) until it is cleared', async () => {
    const dir = tempDir();
    const link = await ptyPair(dir);
    const fd = openSync(link, 'r+');
    try {
      expect(runAsOtherUid(openProbe, [link]).stdout.trim()).toBe('opened'); // flock-free opener gets in
      expect(setTtyExclusive(fd)).toEqual({ ok: true });
      expect(runAsOtherUid(openProbe, [link]).stdout.trim()).toBe('EBUSY');
      expect(clearTtyExclusive(fd)).toEqual({ ok: true });
      expect(runAsOtherUid(openProbe, [link]).stdout.trim()).toBe('opened');
    } finally {
      closeSync(fd);
    }
  });

  it.skipIf(skip !== null)(
    'outlives our close while another process holds the terminal (why clear exists)',
    async () => {
      const link = await ptyPair(tempDir()); // socat holds the pty too
      const fd = openSync(link, 'r+');
      expect(setTtyExclusive(fd)).toEqual({ ok: true });
      closeSync(fd);
      expect(runAsOtherUid(openProbe, [link]).stdout.trim()).toBe('EBUSY');
    },
  );

  it('says why on an fd that is not a terminal', () => {
    const fd = openSync(fileURLToPath(import.meta.url), 'r');
    try {
      const r = setTtyExclusive(fd);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/errno 25|ENOTTY/); // ENOTTY
    } finally {
      closeSync(fd);
    }
  });
});
