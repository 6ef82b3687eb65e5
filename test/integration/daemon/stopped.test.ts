// I6 + I1 with a paused owner: a SIGSTOPped daemon still owns its state directory. Clients fail within their
// deadline with DAEMON_UNRESPONSIVE naming its pid and "stopped" — and never start a second daemon.
import { describe, expect, it } from 'vitest';
import { daemonSandboxes, procState, waitFor } from '../../helpers/daemon.js';

const sandbox = daemonSandboxes('fbuild-sigstop-');
const DEADLINE = 3_000;

describe('a SIGSTOPped daemon', () => {
  it('5 clients (deadline 3 s) fail clearly, no second daemon; after SIGCONT the same daemon serves; stop --force kills a stopped one', async () => {
    const box = sandbox();
    const { identity } = await box.ensure();
    const pid = identity.pid;
    process.kill(pid, 'SIGSTOP');
    await waitFor(() => procState(pid) === 'T', 5_000, 'the daemon to be stopped');

    const batch = await box.startClients(5, 'ensure', { deadlineMs: DEADLINE, hangGuardMs: DEADLINE + 15_000 });
    for (const o of batch.outcomes) {
      expect(o.exitCode, 'the client returned by itself (not killed by the hang guard)').toBe(0);
      expect(o.ok).toBe(false);
      expect(o.code).toBe('DAEMON_UNRESPONSIVE');
      expect(o.message).toContain(`pid ${pid}`);
      expect(o.message).toContain('stopped');
      expect(o.ms).toBeLessThan(DEADLINE + 5_000);
    }
    console.log(
      `[sigstop] 5 clients failed after ${batch.outcomes.map((o) => o.ms.toFixed(0)).join('/')} ms (deadline ${DEADLINE}): ${batch.outcomes[0]!.message}`,
    );
    expect(box.alive()).toEqual([pid]);
    expect(box.count('claimed', 'daemon')).toBe(1);
    expect(box.count('spawn', 'client')).toBe(1);

    process.kill(pid, 'SIGCONT');
    const after = await box.startClients(3, 'ensure', { deadlineMs: DEADLINE });
    for (const o of after.outcomes) {
      expect(o.ok, o.message).toBe(true);
      expect(o.identity!.nonce).toBe(identity.nonce);
    }
    expect(box.alive()).toEqual([pid]);

    process.kill(pid, 'SIGSTOP');
    await waitFor(() => procState(pid) === 'T', 5_000, 'the daemon to be stopped again');
    const stopped = await box.stop({ force: true, deadlineMs: DEADLINE });
    expect(stopped.stopped).toBe(true);
    expect(stopped.forced).toBe(true);
    await waitFor(() => procState(pid) === null, 5_000, 'the force-killed daemon to be reaped');
    expect(box.alive()).toEqual([]);
  });
});
