// The rig's own error codes. They name what goes wrong in the rig (a worker process, a report file, a target
// install), not in the product, so they live here and not in the kit's public registry (src/errors.ts): an
// embedder of the kit never meets them. Stable strings: tests, CI logs and results.json match on them.
export const RIG_ERROR_CODES = {
  // reports (harness/report)
  REPORT_NOT_FOUND: 'the run directory or its results.json does not exist',
  REPORT_BAD_JSON: 'results.json is not valid JSON',
  REPORT_SCHEMA_MISMATCH: 'results.json was written with another schema version than this rig reads',
  REPORT_BAD_RESULTS: 'results.json parses but is not an fbuild-harness run result',
  REPORT_WRITE_FAILED: 'a report file could not be written',
  // workers and clients (harness/engine, harness/strategies)
  RIG_WORKER_FAILED: 'a rig worker process failed, exited, or did not answer the coordinator in time',
  WORKER_ERROR: "a strategy's client threw instead of returning an outcome (a rig or strategy bug)",
  WRONG_ANSWER:
    "a product client's request was answered, but not with what its daemon must answer (hello: its greeting and its pid)",
  CLIENT_EXIT: "an external strategy's client command exited non-zero",
  CLIENT_HUNG: "a target's client command had not exited by its deadline: the rig killed it (I6)",
  // campaigns (harness/campaign): shards and surveys put back together
  MERGE_MISMATCH: 'the run directories given to `harness merge` are not the shards of one run (or one survey)',
  // targets (harness/targets)
  TARGET_NOT_INSTALLED: 'a rig target is not installed and the rig cannot install it (the message says how to)',
  TARGET_INSTALL_FAILED: "installing a rig target into the rig's cache failed (npm's own message attached)",
} as const;

export type RigErrorCode = keyof typeof RIG_ERROR_CODES;

export class RigError extends Error {
  readonly code: RigErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: RigErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RigError';
    this.code = code;
    this.details = details;
  }
}

export function isRigError(err: unknown, code?: RigErrorCode): err is RigError {
  return err instanceof RigError && (code === undefined || err.code === code);
}
