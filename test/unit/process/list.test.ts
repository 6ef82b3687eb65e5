// The process listing's twins. Their parsers get property tests (what a line is made of comes back out of it);
// then, on Linux, the /proc twin and the `ps` twin of macOS and the BSDs (procps' ps takes the same options) list
// the same real child with the same pid, parent, uid, state and arguments, and each one's start time is what the
// start-time twin of its platform reads — so a listed process and a later identity check agree.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { nowMs } from '../../../src/clock.js';
import { every, pollUntil } from '../../../src/poll.js';
import { childTarget, listProcesses, readProcess, readStartTime, terminateAll } from '../../../src/process/index.js';
import { procListing } from '../../../src/process/list-proc.js';
import { parsePsLine, parsePsOutput, psListing } from '../../../src/process/list-ps.js';
import { cimListing, parseCimLine, parseCimOutput } from '../../../src/process/list-windows.js';
import { readStartTimePs } from '../../../src/process/start-time-ps.js';

const started: ChildProcess[] = [];
afterEach(async () => {
  await terminateAll(started.splice(0).map(childTarget), { signal: 'SIGKILL', graceMs: 5_000 });
});

const word = fc.stringMatching(/^[A-Za-z0-9_./=-]{1,12}$/);
const argvArb = fc.array(word, { minLength: 1, maxLength: 6 });
const lstartArb = fc.tuple(
  fc.constantFrom('Mon', 'Sat'),
  fc.constantFrom('Jan', 'Dec'),
  fc.integer({ min: 1, max: 31 }),
  fc.integer({ min: 0, max: 86_399 }),
  fc.integer({ min: 1990, max: 2100 }),
);

describe('ps twin parsing', () => {
  it('reads back pid, parent, uid, start time, state and argv from a line ps prints', () => {
    fc.assert(
      fc.property(
        fc.nat(4_000_000),
        fc.nat(4_000_000),
        fc.nat(70_000),
        lstartArb,
        fc.constantFrom('S', 'Ss', 'R+', 'T', 'S<Ll'),
        argvArb,
        (pid, ppid, uid, [dow, mon, day, secs, year], stat, argv) => {
          const hms = new Date(secs * 1000).toISOString().slice(11, 19);
          const lstart = `${dow} ${mon} ${String(day).padStart(2, ' ')} ${hms} ${year}`;
          const line = `${String(pid).padStart(7)} ${String(ppid).padStart(7)} ${String(uid).padStart(5)} ${lstart} ${stat.padEnd(4)} ${argv.join(' ')}`;
          expect(parsePsLine(line)).toEqual({
            pid,
            ppid,
            uid,
            argv,
            exe: null,
            startTime: lstart.replace(/\s+/g, ' '),
            state: stat[0],
          });
        },
      ),
    );
  });

  it('leaves out zombies, headerless junk and the pids it is told to', () => {
    const text = [
      '    1     0     0 Sat Dec  5 22:27:10 2026 Ss   /sbin/init',
      '   42     1     0 Sat Dec  5 22:27:11 2026 Z    [defunct]',
      'garbage',
      '',
      '   77     1  1000 Sat Dec  5 22:27:12 2026 S    node main.js',
    ].join('\n');
    expect(parsePsOutput(text, [1]).map((p) => p.pid)).toEqual([77]);
  });
});

describe('CIM twin parsing', () => {
  it('reads back pid, parent, creation time and command line; no uid, no executable', () => {
    fc.assert(
      fc.property(
        fc.nat(4_000_000),
        fc.nat(4_000_000),
        fc.date({ noInvalidDate: true }),
        argvArb,
        (pid, ppid, d, argv) => {
          const created = d.toISOString();
          expect(parseCimLine(`${pid}\t${ppid}\t${created}\t${argv.join(' ')}\r`)).toEqual({
            pid,
            ppid,
            uid: null,
            argv,
            exe: null,
            startTime: created,
            state: null,
          });
        },
      ),
    );
  });

  it('a process without a command line (System, another session) is left out, as are junk lines', () => {
    expect(parseCimOutput('4\t0\t\t\r\n8\t4\t2026-12-05T22:27:10.0000000Z\tsmss.exe\r\nnot a row\r\n', [])).toEqual([
      {
        pid: 8,
        ppid: 4,
        uid: null,
        argv: ['smss.exe'],
        exe: null,
        startTime: '2026-12-05T22:27:10.0000000Z',
        state: null,
      },
    ]);
  });
});

describe('CIM twin without PowerShell', () => {
  const noPowerShell = spawnSync('powershell.exe', ['-Command', 'exit'], { stdio: 'ignore' }).error !== undefined;
  it.runIf(noPowerShell)('lists nothing and reads nothing, instead of failing', async () => {
    expect(await cimListing.list()).toEqual([]);
    expect(await cimListing.read(process.pid)).toBeNull();
  });
});

describe.runIf(process.platform === 'linux')('the listing, on real processes', () => {
  it('the /proc and ps twins list one child alike; each start time is its platform reader’s', async () => {
    // a duration no other sleep of this machine has: the marker that tells our child apart (sleep takes fractions)
    const marker = `${600 + (process.pid % 1000)}.${Date.now() % 1_000_000}`;
    const child = spawn('sleep', [marker], { stdio: 'ignore' });
    started.push(child);
    const mine = (argv: readonly string[]) => argv.includes(marker);
    // until the child has exec'd (its argv shows); 10 s is only a hang guard on a loaded machine
    const [fromProc] =
      (await pollUntil(
        async () => {
          const seen = await procListing.list(mine);
          return seen.length > 0 && seen[0]!.state === 'S' ? seen : undefined;
        },
        { backoff: every(10), deadline: nowMs() + 10_000 },
      )) ?? [];
    const [fromPs] = await psListing.list(mine);
    expect(fromProc).toMatchObject({ pid: child.pid, ppid: process.pid, argv: ['sleep', marker], state: 'S' });
    expect(fromProc!.exe).toMatch(/sleep$/);
    expect(fromPs).toMatchObject({
      pid: child.pid,
      ppid: process.pid,
      uid: fromProc!.uid,
      argv: ['sleep', marker],
    });
    expect(fromPs!.state).toBe('S');
    const linux = readStartTime(child.pid!);
    const ps = readStartTimePs(child.pid!);
    expect(linux.kind === 'ok' && linux.startTime).toBe(fromProc!.startTime);
    expect(ps.kind === 'ok' && ps.startTime).toBe(fromPs!.startTime);
    expect(await psListing.read(child.pid!)).toEqual(fromPs);
    expect(await readProcess(child.pid!)).toEqual(fromProc);
    expect((await listProcesses(mine)).map((p) => p.pid)).toEqual([child.pid]);
    expect(procListing.ageSeconds(fromProc!.startTime!)).toBeGreaterThanOrEqual(0);
    expect(psListing.ageSeconds(fromPs!.startTime!)).toBeGreaterThanOrEqual(0);
  });

  it('a process that is gone reads as null from both; this process is never listed', async () => {
    const child = spawn('true', [], { stdio: 'ignore' });
    await new Promise((r) => child.once('exit', r));
    expect(await procListing.read(child.pid!)).toBeNull();
    expect(await psListing.read(child.pid!)).toBeNull();
    const everyone = (argv: readonly string[]) => argv.length > 0;
    expect((await procListing.list(everyone)).some((p) => p.pid === process.pid)).toBe(false);
    expect((await psListing.list(everyone)).some((p) => p.pid === process.pid)).toBe(false);
  });
});
