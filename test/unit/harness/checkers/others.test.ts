import { describe, expect, it } from 'vitest';
import { checkI2 } from '../../../../harness/checkers/i2-convergence.js';
import { checkI3 } from '../../../../harness/checkers/i3-spawns.js';
import { checkI4 } from '../../../../harness/checkers/i4-exactly-once.js';
import { checkI5 } from '../../../../harness/checkers/i5-state-files.js';
import { checkI6, DEADLINE_GRACE_MS } from '../../../../harness/checkers/i6-bounded-waiting.js';
import { checkI7 } from '../../../../harness/checkers/i7-clean-stop.js';
import type { CensusEntry } from '../../../../harness/engine/results.js';
import { judgeStateFile } from '../../../../harness/engine/statefiles.js';
import { census, ev, input, worker } from './fixtures.js';

const daemon = (pid: number, aliveAtEnd: boolean): CensusEntry => ({
  pid,
  startTime: null,
  cmd: 'd',
  sources: ['proc'],
  firstSeen: '1',
  lastSeen: '2',
  aliveAtEnd,
});
const id = (pid: number) => ({ pid, startTime: '5', nonce: `n${pid}` });

describe('I2 convergence', () => {
  it('passes when every client names the one live daemon', () => {
    expect(
      checkI2(input({ workers: [worker(0, id(7)), worker(1, id(7))], census: census({ daemons: [daemon(7, true)] }) })),
    ).toEqual([]);
  });
  it('flags clients that disagree, failed clients, and more than one live daemon', () => {
    const v = checkI2(
      input({
        workers: [worker(0, id(7)), worker(1, id(8)), worker(2, null, false)],
        census: census({ daemons: [daemon(7, true), daemon(8, true)] }),
      }),
    );
    expect(v.map((x) => x.invariant)).toEqual(['I2', 'I2', 'I2']);
    expect(v[0]!.message).toMatch(/2 different daemons/);
    expect(v[1]!.message).toMatch(/1 of 3 concurrent clients failed \(DEADLINE\)/);
    expect(v[2]!.evidence.aliveAtEnd).toEqual([7, 8]);
  });
});

describe('I3 spawns', () => {
  it('counts spawn events, or census daemons without an event log', () => {
    expect(checkI3(input({ events: [ev(1, 50, 'spawn', { role: 'client', child: 7 })] }))).toEqual([]);
    const v = checkI3(
      input({
        events: [ev(1, 50, 'spawn', { role: 'client', child: 7 }), ev(2, 51, 'spawn', { role: 'client', child: 8 })],
      }),
    );
    expect(v[0]!.evidence.spawns).toBe(2);
    expect(
      checkI3(input({ hasEventLog: false, census: census({ daemons: [daemon(1, true), daemon(2, false)] }) }))[0]!
        .evidence.spawns,
    ).toBe(2);
  });
});

describe('I5 state files', () => {
  it('judges JSON and pid files', () => {
    expect(judgeStateFile('json', '{"pid":1}')).toBeNull();
    expect(judgeStateFile('json', '')).toMatch(/empty/);
    expect(judgeStateFile('json', '{"pid":')).toMatch(/JSON/);
    expect(judgeStateFile('pid', '123\n')).toBeNull();
    expect(judgeStateFile('pid', '')).toMatch(/empty/);
    expect(judgeStateFile('pid', '\u0000\u00ff')).toMatch(/not a decimal/);
  });
  it('reports one violation per file', () => {
    const p = { at: '1', reason: 'empty file', sample: '' };
    const v = checkI5(
      input({
        stateFileProblems: [
          { file: 'owner.json', ...p },
          { file: 'owner.json', ...p },
          { file: 'status.json', ...p },
        ],
      }),
    );
    expect(v.map((x) => x.evidence.file)).toEqual(['owner.json', 'status.json']);
  });
});

describe('I7 clean stop', () => {
  it('flags leftovers, a left owner record and a blocked fresh start; skips what cannot be judged', () => {
    expect(checkI7(input())).toEqual([]);
    const v = checkI7(
      input({
        census: census({ leftAfterStop: [9] }),
        afterStop: {
          judged: true,
          ownerRecordLeft: 'owner.json',
          probe: { ok: false, message: 'a fresh ensureDaemon() after stop failed: LOCK_HELD: x' },
        },
      }),
    );
    expect(v).toHaveLength(3);
    expect(
      checkI7(
        input({
          census: census({ leftAfterStop: [9] }),
          afterStop: { judged: false, ownerRecordLeft: null, probe: null },
        }),
      ),
    ).toEqual([]);
  });
});

describe('I4 exactly-once work', () => {
  const exec = (mono: number, pid: number, id: string, key?: string) =>
    ev(mono, pid, 'request-exec', { id, type: 'install', ...(key ? { key } : {}) });
  const acked = (mono: number, id: string, key?: string) =>
    ev(mono, 900, 'request-acked', { role: 'client', id, type: 'install', ...(key ? { key } : {}) });

  it('passes when each request and each key ran once, and every acknowledged request ran', () => {
    expect(
      checkI4(input({ events: [exec(1, 7, 'a', 'k1'), acked(2, 'a', 'k1'), exec(3, 7, 'b'), acked(4, 'b')] })),
    ).toEqual([]);
  });

  it('a retry with the same key answered from the store (no second exec) is fine; a second exec is not', () => {
    // the first daemon ran it and crashed before answering; the retry on a new daemon was answered from the store
    expect(checkI4(input({ events: [exec(1, 7, 'a', 'k1'), acked(5, 'b', 'k1')] }))).toEqual([]);
    const twice = checkI4(input({ events: [exec(1, 7, 'a', 'k1'), exec(5, 8, 'b', 'k1'), acked(6, 'b', 'k1')] }));
    expect(twice.map((v) => v.message)).toEqual([
      expect.stringMatching(/install:k1 was executed 2 times \(by 2 daemon process/),
    ]);
  });

  it('flags a request id run twice and an acknowledgement of work that never ran', () => {
    const v = checkI4(input({ events: [exec(1, 7, 'a'), exec(2, 7, 'a'), acked(3, 'zz')] }));
    expect(v.map((x) => x.message)).toEqual([
      expect.stringMatching(/request a was executed 2 times/),
      expect.stringMatching(/told request zz .*no daemon executed it/),
    ]);
  });
});

describe('I6 bounded waiting', () => {
  const slow = (i: number, ms: number, ok = true, code = 'DEADLINE') => ({
    ...worker(i, ok ? id(7) : null, ok),
    durationMs: ms,
    error: ok ? null : { code, message: 'x\nstack' },
  });

  it('passes for calls within deadline + grace, failed or not, when the failure is coded', () => {
    expect(
      checkI6(input({ deadlineMs: 1_000, workers: [slow(0, 900), slow(1, 1_000 + DEADLINE_GRACE_MS, false)] })),
    ).toEqual([]);
  });

  it('names the worker that waited too long, and a failure without a stable code', () => {
    const v = checkI6(
      input({ deadlineMs: 1_000, workers: [slow(0, 1_001 + DEADLINE_GRACE_MS), slow(1, 10, false, 'WORKER_ERROR')] }),
    );
    expect(v.map((x) => x.message)).toEqual([
      expect.stringMatching(/^worker 0 .* past its 1000 ms deadline/),
      expect.stringMatching(/^worker 1 .* without a stable error code \(WORKER_ERROR\): x$/),
    ]);
  });

  it('is not judged where the rig knows no deadline', () => {
    expect(checkI6(input({ deadlineMs: null, workers: [slow(0, 1e9)] }))).toEqual([]);
  });

  it('a hung client (killed by the rig at the pool timeout) is named with what it was doing: its last event', () => {
    const hung = { ...slow(2, 25_000, false, 'HUNG'), hung: true };
    const events = [
      ev(1, 1002, 'ensure-start', { role: 'client' }),
      ev(2, 1002, 'lock-acquired', { role: 'client', lock: 'spawn' }),
    ];
    const [v] = checkI6(input({ deadlineMs: 10_000, workers: [hung], events }));
    expect(v!.message).toMatch(
      /^worker 2 \(pid 1002\) waited 25000 ms .* its last event was 'lock-acquired' \(spawn lock\); the rig killed it, still waiting\.$/,
    );
    expect(v!.evidence).toMatchObject({ hung: true, lastEvent: { ev: 'lock-acquired' } });
  });

  it("a target's client the rig killed at its deadline (CLIENT_HUNG) never answered: a violation, once", () => {
    const killed = slow(3, 1_000 + 40, false, 'CLIENT_HUNG');
    const v = checkI6(input({ deadlineMs: 1_000, workers: [killed, slow(4, 1_000 + 40, false, 'CLIENT_EXIT')] }));
    expect(v.map((x) => x.message)).toEqual([expect.stringMatching(/^worker 3 \(pid \d+\) never answered: x$/)]);
    expect(v[0]!.evidence).toMatchObject({ hung: true, deadlineMs: 1_000 });
  });
});
