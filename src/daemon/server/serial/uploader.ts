// Uploader mode: what fbuild really does with esptool or avrdude. The daemon has already closed its handle
// (the uploader opens the port itself), runs the command with {port} and {image} filled in — each quoted for
// the shell, so a path with spaces or quotes stays one argument — streams its output, and reports its exit code.
import { spawn } from 'node:child_process';
import { FbuildError } from '../../../errors.js';
import { LineSplitter } from './line-splitter.js';

export interface UploaderRun {
  exitCode: number | null;
  signal: string | null;
  ms: number;
}

// sh and cmd.exe quote differently; chosen here once
const quote: (s: string) => string =
  process.platform === 'win32' ? (s) => `"${s.replace(/"/g, '""')}"` : (s) => `'${s.replace(/'/g, `'\\''`)}'`;

export function uploaderCommand(template: string, port: string, image: string): string {
  if (!template.includes('{port}') || !template.includes('{image}')) {
    throw new FbuildError('BAD_OPTION', `--uploader must contain {port} and {image}, got ${JSON.stringify(template)}`, {
      uploader: template,
    });
  }
  return template.replaceAll('{port}', quote(port)).replaceAll('{image}', quote(image));
}

export function runUploader(
  command: string,
  onLine: (stream: 'stdout' | 'stderr', line: string) => void,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<UploaderRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const out = new LineSplitter((l) => onLine('stdout', l));
    const err = new LineSplitter((l) => onLine('stderr', l));
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    let why: FbuildError | null = null;
    const stop = (e: FbuildError) => {
      why = e;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2_000).unref();
    };
    const timer = setTimeout(
      () =>
        stop(
          new FbuildError('DEADLINE', `the uploader ran longer than ${timeoutMs} ms and was stopped`, { timeoutMs }),
        ),
      timeoutMs,
    );
    const onAbort = () => stop(new FbuildError('CONNECTION_CLOSED', 'the client went away: the uploader was stopped'));
    signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new FbuildError('UPLOADER_FAILED', `the uploader could not start: ${e.message}`, { command }));
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (why) return reject(why);
      resolve({ exitCode: code, signal: sig, ms: Math.round(performance.now() - started) });
    });
  });
}
