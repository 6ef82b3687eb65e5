// Serial tests on real pseudo-terminals: pty devices (fixtures/serial/pty-device.ts, a process each) and
// `fbuild` processes running alongside each other (monitors stream while a deploy runs). Everything started
// here is stopped in afterEach, by pid.
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { type PtyDevice, startPtyDevice } from '../../fixtures/serial/launch.js';
import { cliEntry } from '../../src/paths.js';
import { childTarget, terminateAll } from '../../src/process/index.js';

export interface FbuildProc {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** resolves with the exit code (null: killed) once its output is closed */
  done: Promise<number | null>;
  /** `done`, or a rejection with the process's output if it has not exited within ms (a hang names itself) */
  exit(ms?: number): Promise<number | null>;
  /** resolves when stdout or stderr has a line matching re */
  waitOutput(re: RegExp, ms?: number): Promise<void>;
}

export function serialProcesses() {
  const devices: PtyDevice[] = [];
  const procs: ChildProcess[] = [];
  afterEach(async () => {
    await terminateAll(procs.splice(0).map(childTarget), { signal: 'SIGKILL', graceMs: 5_000 });
    await Promise.all(devices.splice(0).map((d) => d.stop()));
  });
  return {
    async device(link: string, args: string[] = []): Promise<PtyDevice> {
      const d = await startPtyDevice(link, args);
      devices.push(d);
      return d;
    },
    fbuild(stateDir: string, args: string[], env: NodeJS.ProcessEnv = process.env): FbuildProc {
      const child = spawn(process.execPath, [cliEntry(), ...args], {
        env: { ...env, FBUILD_DAEMON_DIR: stateDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      procs.push(child);
      let out = '';
      let err = '';
      const watchers: Array<() => void> = [];
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        for (const w of [...watchers]) w();
      });
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        for (const w of [...watchers]) w();
      });
      const done = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
      return {
        child,
        stdout: () => out,
        stderr: () => err,
        done,
        exit: (ms = 60_000) =>
          Promise.race([
            done,
            new Promise<never>((_, reject) => {
              const timer = setTimeout(
                () =>
                  reject(
                    new Error(
                      `fbuild ${args.join(' ')} has not exited within ${ms} ms\nstdout: ${out}\nstderr: ${err}`,
                    ),
                  ),
                ms,
              );
              void done.then(() => clearTimeout(timer));
            }),
          ]),
        waitOutput: (re, ms = 20_000) =>
          new Promise<void>((resolve, reject) => {
            const check = () => {
              if (!re.test(out) && !re.test(err)) return;
              watchers.splice(watchers.indexOf(check), 1);
              clearTimeout(timer);
              resolve();
            };
            const timer = setTimeout(
              () =>
                reject(
                  new Error(
                    `fbuild ${args.join(' ')}: no output matching ${re} within ${ms} ms\nstdout: ${out}\nstderr: ${err}`,
                  ),
                ),
              ms,
            );
            watchers.push(check);
            check();
            void done.then(() =>
              setTimeout(
                () =>
                  reject(
                    new Error(
                      `fbuild ${args.join(' ')} exited without output matching ${re}\nstdout: ${out}\nstderr: ${err}`,
                    ),
                  ),
                50,
              ),
            );
          }),
      };
    },
  };
}

export function writeImage(dir: string, bytes: number, name = 'fw.bin'): string {
  const path = join(dir, name);
  const buf = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) buf[i] = (i * 31 + 7) & 0xff;
  writeFileSync(path, buf);
  return path;
}
