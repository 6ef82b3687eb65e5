// Uploader mode: what fbuild really does with esptool or avrdude. The daemon has already closed its handle (the
// uploader opens the port itself) and runs the command (uploader-command.ts: the port and image reach it as
// values, never as command text) in a process group of its own, streams its output and reports its exit code.
// It returns only once nothing of the group is left — whether the uploader finished, failed, ran past its time or
// its client went away — so the writer lease is never released while a process of the uploader still holds the
// port, and the daemon's reopen never races one.
import { FbuildError } from '../../../errors.js';
import { startGroup } from '../../../process/index.js';
import { LineSplitter } from '../../shared/deploy/line-splitter.js';
import type { UploaderCommand } from './uploader-command.js';

export interface UploaderRun {
  exitCode: number | null;
  signal: string | null;
  ms: number;
}

/** from SIGTERM to SIGKILL when an uploader is stopped */
const STOP_GRACE_MS = 2_000;
/** after the group is gone, how long its output may take to arrive (a process outside the group may hold it) */
const OUTPUT_FLUSH_MS = 1_000;

export async function runUploader(
  command: UploaderCommand,
  onLine: (stream: 'stdout' | 'stderr', line: string) => void,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<UploaderRun> {
  const started = performance.now();
  const group = startGroup(command.file, command.args, command.shell);
  const { child } = group;
  const out = new LineSplitter((l) => onLine('stdout', l));
  const err = new LineSplitter((l) => onLine('stderr', l));
  child.stdout!.on('data', (c: Buffer) => out.push(c));
  child.stderr!.on('data', (c: Buffer) => err.push(c));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let why: FbuildError | null = null;
  const stop = (err: FbuildError) => {
    why ??= err;
    void group.end(STOP_GRACE_MS);
  };
  const timer = setTimeout(
    () =>
      stop(new FbuildError('DEADLINE', `the uploader ran longer than ${timeoutMs} ms and was stopped`, { timeoutMs })),
    timeoutMs,
  );
  const onAbort = () => stop(new FbuildError('CONNECTION_CLOSED', 'the client went away: the uploader was stopped'));
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();
  try {
    const exit = await new Promise<{ code: number | null; sig: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('exit', (code, sig) => resolve({ code, sig }));
      child.once('error', (err) =>
        reject(
          new FbuildError('UPLOADER_FAILED', `the uploader could not start: ${err.message}`, {
            command: command.display,
          }),
        ),
      );
    });
    // the shell is done; whatever it left behind in its group (a background job) is ended before the port is reopened
    const left = await group.end(STOP_GRACE_MS);
    if (left === 'survived')
      throw new FbuildError('UPLOADER_FAILED', `a process of the uploader survived SIGKILL: ${command.display}`, {
        command: command.display,
      });
    await Promise.race([closed, new Promise((r) => setTimeout(r, OUTPUT_FLUSH_MS).unref())]);
    if (why) throw why;
    return { exitCode: exit.code, signal: exit.sig, ms: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    child.stdout!.destroy();
    child.stderr!.destroy();
  }
}
