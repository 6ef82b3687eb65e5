// What crashed processes leave in the state directory: a spawn lock naming a dead client, takeover markers
// of reapers that died, temp files of writers killed between open and rename, lock candidates of holders
// killed before they published, and a status file that does not parse. None of it blocks the next start
// (the lock library takes stale locks over); doctor reports it and `--fix` clears it the race-free way.
// Things planted where those files belong (a FIFO at the spawn lock, a symlinked requests/) are reported
// too, never waited on or followed (lock-files.ts, leftover-files.ts).
import { readJsonFile } from '../../fsutil/read-json.js';
import { type Finding, finding } from '../types.js';
import type { Check } from './check.js';
import { leftoverFiles, unsafeSubdirs } from './leftover-files.js';
import { markerFindings, spawnLockFindings } from './lock-files.js';

export const leftoversCheck: Check = {
  id: 'leftovers',
  title: 'crash leftovers',
  run(ctx) {
    const f = ctx.config.files;
    const findings: Finding[] = [...spawnLockFindings(ctx)];
    const markers = markerFindings(ctx);
    findings.push(...markers.findings, ...unsafeSubdirs(ctx));
    const files = leftoverFiles(ctx);
    if (files.length > 0) {
      findings.push(
        finding('TEMP_FILES_LEFT', `${files.length} temp file(s) left by processes that died mid-write`, {
          evidence: files.map((a) => (a.kind === 'remove-leftover' ? `${a.path} (${a.why})` : '')),
          fix: 'fbuild doctor --fix',
          actions: files,
        }),
      );
    }
    const status = readJsonFile(f.status, { maxBytes: 1024 * 1024 });
    if (!status.ok && status.reason === 'corrupt') {
      findings.push(
        finding('STATUS_CORRUPT', `${f.status} does not parse`, {
          evidence: [String((status.error as Error)?.message ?? 'not JSON')],
          fix: 'fbuild daemon restart (the daemon rewrites it whole)',
        }),
      );
    }
    return { summary: markers.live > 0 ? `none (${markers.live} takeover in progress)` : 'none', findings };
  },
};
