// The serial requests' parameters, checked and resolved once (defaults filled in), so the handlers never see
// an undefined option. Every bad value is BAD_OPTION naming the field and echoing the value.
import { isAbsolute } from 'node:path';
import { FbuildError } from '../../../errors.js';
import { clientPidOf } from '../../shared/serial-leases.js';

export const DEFAULT_BAUD = 115_200;

function bad(field: string, want: string, v: unknown): FbuildError {
  return new FbuildError('BAD_OPTION', `${field} must be ${want}, got ${JSON.stringify(v)?.slice(0, 200)}`, { field });
}

function str(p: Record<string, unknown>, k: string): string | undefined {
  const v = p[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v === '' || v.length > 4096) throw bad(k, 'a non-empty string', v);
  return v;
}

function int(p: Record<string, unknown>, k: string, dflt: number, min: number, max: number): number {
  const v = p[k];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw bad(k, `an integer from ${min} to ${max}`, v);
  return v;
}

function regex(p: Record<string, unknown>, k: string): RegExp | null {
  const s = str(p, k);
  if (s === undefined) return null;
  try {
    return new RegExp(s);
  } catch (err) {
    throw bad(k, `a valid regular expression (${(err as Error).message})`, s);
  }
}

function common(p: Record<string, unknown>) {
  const port = str(p, 'port');
  if (port === undefined) throw bad('port', 'a serial port path', p.port);
  return { port, baudRate: int(p, 'baudRate', DEFAULT_BAUD, 50, 20_000_000), clientPid: clientPidOf(p) };
}

export function monitorParams(p: Record<string, unknown>) {
  return {
    ...common(p),
    expect: regex(p, 'expect'),
    fail: regex(p, 'fail'),
    /** 0: no timeout */
    timeoutMs: int(p, 'timeoutMs', 0, 0, 2 ** 31 - 1),
    reconnect: p.reconnect === true,
  };
}

export type DeployParams = ReturnType<typeof deployParams>;
export function deployParams(p: Record<string, unknown>) {
  const image = str(p, 'image');
  if (image === undefined || !isAbsolute(image)) throw bad('image', 'an absolute path', p.image);
  const uploader = str(p, 'uploader') ?? null;
  const boot = regex(p, 'boot');
  return {
    ...common(p),
    image,
    uploader,
    /** built-in mode waits for the device's ready line by default; uploader mode only when asked */
    boot: boot ?? (uploader === null ? /\bready\b/i : null),
    bootTimeoutMs: int(p, 'bootTimeoutMs', 10_000, 1, 2 ** 31 - 1),
    /** how long a deploy waits in the port's queue */
    waitMs: int(p, 'waitMs', 60_000, 1, 2 ** 31 - 1),
    chunkBytes: int(p, 'chunkBytes', 1024, 16, 64 * 1024),
    ackTimeoutMs: int(p, 'ackTimeoutMs', 1_000, 10, 600_000),
    retries: int(p, 'retries', 5, 0, 100),
    uploaderTimeoutMs: int(p, 'uploaderTimeoutMs', 10 * 60_000, 1, 2 ** 31 - 1),
  };
}
