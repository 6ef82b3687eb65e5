// A listener that accepted a connection and stayed silent: what the client calls it. Our daemon listens only
// while it owns the state directory, so silence with no owner is someone else's — but one look at an unowned
// directory may just as well have caught our daemon exiting while the client waited (its close not yet read),
// and an overloaded or exiting daemon must never be reported as an impostor (issue 18, H1).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unresponsive } from '../../../../src/daemon/client/diagnose.js';
import { resolveConfig } from '../../../../src/daemon/shared/config.js';
import { ensureStateDir } from '../../../../src/daemon/shared/state-dir.js';
import { newRecord } from '../../../../src/lock/record.js';
import { tempDirs } from '../../../helpers/tmp.js';

const newDir = tempDirs('fbuild-diagnose-');

function unownedConfig(withDeadOwner: boolean) {
  const stateDir = join(newDir(), 'state');
  ensureStateDir(stateDir);
  if (withDeadOwner) {
    // a record of this machine whose pid cannot be alive (pid_max is at most 2^22 on Linux)
    writeFileSync(join(stateDir, 'owner.json'), `${JSON.stringify({ ...newRecord(), pid: 2 ** 22 + 1 })}\n`);
  }
  return resolveConfig({ ...process.env, FBUILD_DAEMON_DIR: stateDir }, stateDir);
}

describe('unresponsive(): silence from an unowned endpoint', () => {
  it.each([false, true])(
    'seen unowned once (a dead owner record: %s): DEADLINE that says a daemon may have just exited, not IMPOSTOR',
    (withDeadOwner) => {
      const config = unownedConfig(withDeadOwner);
      expect(config.lock.inspect(config.files.owner).state).toBe(withDeadOwner ? 'stale' : 'free');
      const err = unresponsive(config, 5_000);
      expect(err.code).toBe('DEADLINE');
      expect(err.message).toMatch(/may have just exited/);
    },
  );

  it('seen unowned more than once while the connection stayed open: IMPOSTOR', () => {
    const config = unownedConfig(false);
    const err = unresponsive(config, 5_000, undefined, true);
    expect(err.code).toBe('IMPOSTOR');
    expect(err.details).toMatchObject({ endpoint: config.endpoint.display, owner: 'free' });
  });
});
