// The serial requests' parameters, checked and resolved once (defaults filled in), so the handlers never see
// an undefined option. Every bad value is BAD_OPTION naming the field and echoing the value.
import { isAbsolute } from 'node:path';
import { FbuildError } from '../../../errors.js';
import { clientPidOf } from '../../shared/serial-leases.js';

export const DEFAULT_BAUD = 115_200;

function bad(field: string, want: string, value: unknown): FbuildError {
  return new FbuildError('BAD_OPTION', `${field} must be ${want}, got ${JSON.stringify(value)?.slice(0, 200)}`, {
    field,
  });
}

function str(params: Record<string, unknown>, key: string): string | undefined {
  const v = params[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v === '' || v.length > 4096) throw bad(key, 'a non-empty string', v);
  return v;
}

function int(params: Record<string, unknown>, key: string, dflt: number, min: number, max: number): number {
  const v = params[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw bad(key, `an integer from ${min} to ${max}`, v);
  return v;
}

function regex(params: Record<string, unknown>, key: string): RegExp | null {
  const s = str(params, key);
  if (s === undefined) return null;
  try {
    return new RegExp(s);
  } catch (err) {
    throw bad(key, `a valid regular expression (${(err as Error).message})`, s);
  }
}

function common(params: Record<string, unknown>) {
  const port = str(params, 'port');
  if (port === undefined) throw bad('port', 'a serial port path', params.port);
  return { port, baudRate: int(params, 'baudRate', DEFAULT_BAUD, 50, 20_000_000), clientPid: clientPidOf(params) };
}

export function monitorParams(params: Record<string, unknown>) {
  return {
    ...common(params),
    expect: regex(params, 'expect'),
    fail: regex(params, 'fail'),
    /** 0: no timeout */
    timeoutMs: int(params, 'timeoutMs', 0, 0, 2 ** 31 - 1),
    reconnect: params.reconnect === true,
  };
}

export type DeployParams = ReturnType<typeof deployParams>;
export function deployParams(params: Record<string, unknown>) {
  const image = str(params, 'image');
  if (image === undefined || !isAbsolute(image)) throw bad('image', 'an absolute path', params.image);
  const uploader = str(params, 'uploader') ?? null;
  const boot = regex(params, 'boot');
  return {
    ...common(params),
    image,
    uploader,
    /** built-in mode waits for the device's ready line by default; uploader mode only when asked */
    boot: boot ?? (uploader === null ? /\bready\b/i : null),
    bootTimeoutMs: int(params, 'bootTimeoutMs', 10_000, 1, 2 ** 31 - 1),
    /** how long a deploy waits in the port's queue */
    waitMs: int(params, 'waitMs', 60_000, 1, 2 ** 31 - 1),
    chunkBytes: int(params, 'chunkBytes', 1024, 16, 64 * 1024),
    ackTimeoutMs: int(params, 'ackTimeoutMs', 1_000, 10, 600_000),
    retries: int(params, 'retries', 5, 0, 100),
    uploaderTimeoutMs: int(params, 'uploaderTimeoutMs', 10 * 60_000, 1, 2 ** 31 - 1),
  };
}
