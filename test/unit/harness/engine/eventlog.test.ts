// The rig's own product calls (the sweep's fresh-start probe) log into a round's log like a worker's: the
// 'spawn' event names the child it started and the daemon logs there too — so a sweep that cannot see command
// lines (Windows) can still end that daemon by pid — and afterwards this process logs nowhere again, also when
// the call failed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logProductCalls, readEventLog } from '../../../../harness/engine/eventlog.js';
import { ensureDaemon } from '../../../../src/daemon/client/ensure.js';
import { emit, resetEventLog } from '../../../../src/events.js';
import { daemonSandboxes } from '../../../helpers/daemon.js';

const sandbox = daemonSandboxes('fbuild-eventlog-');

/** a sandbox whose log this process does not write to until told (the coordinator's state between calls) */
function quietBox() {
  const box = sandbox();
  delete process.env.FBUILD_EVENT_LOG;
  resetEventLog();
  return box;
}

describe('logProductCalls', () => {
  it("logs the spawned daemon's pid and the daemon's own events to the round's log, then stops logging", async () => {
    const box = quietBox();
    const served = await logProductCalls(box.eventLog, () =>
      ensureDaemon({ stateDir: box.stateDir, env: process.env, deadlineMs: 15_000 }),
    );
    const events = readEventLog(box.eventLog).events;
    const spawns = events.filter((e) => e.ev === 'spawn');
    expect(spawns).toEqual([expect.objectContaining({ pid: process.pid, role: 'client', child: served.identity.pid })]);
    // its start carries the time since the process began (the bench's start-up phases are cut with it)
    const start = events.find((e) => e.role === 'daemon' && e.pid === served.identity.pid && e.ev === 'start');
    expect(start?.uptimeMs).toBeGreaterThan(0);

    expect(process.env.FBUILD_EVENT_LOG).toBeUndefined();
    const before = readFileSync(box.eventLog, 'utf8');
    emit('client', 'ensure-start', { after: true });
    expect(readFileSync(box.eventLog, 'utf8').includes('"after":true')).toBe(false);
    expect(readFileSync(box.eventLog, 'utf8').startsWith(before)).toBe(true);
  }, 30_000); // hang guard: one daemon start

  it('puts the previous log back when the call fails', async () => {
    const box = quietBox();
    process.env.FBUILD_EVENT_LOG = `${box.eventLog}.outer`;
    try {
      await expect(
        logProductCalls(box.eventLog, async () => {
          emit('client', 'ensure-start', { inside: true });
          throw new Error('the probe failed');
        }),
      ).rejects.toThrow('the probe failed');
      expect(process.env.FBUILD_EVENT_LOG).toBe(`${box.eventLog}.outer`);
      expect(readEventLog(box.eventLog).events.map((e) => e.inside)).toEqual([true]);
    } finally {
      delete process.env.FBUILD_EVENT_LOG;
      resetEventLog();
    }
  }, 10_000); // hang guard
});
