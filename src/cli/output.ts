// One way to end a command: a human line on stdout (or stderr for errors), or — with --json — one stable,
// versioned JSON document on stdout. Errors carry their stable code either way.
import { type ErrorCode, isFbuildError } from '../errors.js';
import { exitFor } from './exit-codes.js';

export const JSON_SCHEMA = 1;

export interface Out {
  json: boolean;
}

export function done(out: Out, data: Record<string, unknown>, human: string, code = 0): number {
  if (out.json) process.stdout.write(JSON.stringify({ schema: JSON_SCHEMA, ok: code === 0, ...data }, null, 2) + '\n');
  else process.stdout.write(human + '\n');
  return code;
}

export function failed(out: Out, err: unknown): number {
  const code = isFbuildError(err) ? err.code : ('UNEXPECTED' satisfies ErrorCode);
  const message = (err as Error)?.message ?? String(err);
  const exit = exitFor(code);
  if (out.json) {
    const details = isFbuildError(err) ? err.details : {};
    process.stdout.write(
      JSON.stringify({ schema: JSON_SCHEMA, ok: false, error: { code, message, details } }, null, 2) + '\n',
    );
  } else {
    process.stderr.write(`fbuild: ${message} [${code}]\n`);
  }
  return exit;
}
