// Options the serial commands share, checked on the command line so a typo fails fast with exit 2
// (the daemon checks them again: other clients send requests too).
import { InvalidArgumentError } from 'commander';

export function parseBaud(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 50 || Number(value) > 20_000_000)
    throw new InvalidArgumentError(`takes a baud rate (50–20000000), got ${JSON.stringify(value)}`);
  return Number(value);
}

export function parseSeconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 2_000_000)
    throw new InvalidArgumentError(`takes a positive number of seconds, got ${JSON.stringify(value)}`);
  return n;
}

export function parseRegex(value: string): string {
  try {
    new RegExp(value);
  } catch (err) {
    throw new InvalidArgumentError(`takes a regular expression: ${(err as Error).message}`);
  }
  return value;
}

/** a long-running request's client deadline: its own bound plus slack, or (none) as far as timers reach */
export function requestDeadlineMs(boundMs: number): number {
  return boundMs > 0 ? boundMs + 30_000 : 2 ** 31 - 1;
}
