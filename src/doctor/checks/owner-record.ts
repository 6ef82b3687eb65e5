// The owner record against reality: is the process it names alive, the same process (start time, command
// line), and a daemon of this directory? Judged exactly as clients judge it (the lock's own inspect).
import { lstatSync } from 'node:fs';
import { inspectOwner } from '../../daemon/client/diagnose.js';
import { isFbuildError } from '../../errors.js';
import { describeKind } from '../../fsutil/refusals.js';
import { describeOwner, type LockInspection } from '../../lock/index.js';
import { placeOf } from '../../process/index.js';
import type { DoctorContext } from '../context.js';
import { type Finding, finding } from '../types.js';
import type { Check, CheckOutcome } from './check.js';

function fileKind(path: string): string {
  try {
    return describeKind(lstatSync(path));
  } catch {
    return 'not a regular file';
  }
}

function notAFile(ctx: DoctorContext): CheckOutcome {
  const path = ctx.config.files.owner;
  const kind = fileKind(path);
  return {
    summary: '',
    findings: [
      finding('OWNER_NOT_FILE', `${path} is ${kind}, not an owner record: clients refuse this state directory`, {
        evidence: [`${path}: ${kind}`],
        fix: 'fbuild doctor --fix (moves it aside, kept as evidence)',
        actions: [{ kind: 'move-aside', path, why: `${kind} where the owner record belongs` }],
      }),
    ],
  };
}

function staleFinding(ctx: DoctorContext, inspection: Extract<LockInspection, { state: 'stale' }>): Finding {
  const path = ctx.config.files.owner;
  const actions = [{ kind: 'clear-stale-lock' as const, path, why: `stale owner record (${inspection.detail})` }];
  const fix = 'fbuild doctor --fix, or just `fbuild daemon start` (the next start takes it over)';
  const who = inspection.record ? describeOwner(inspection.record) : 'an unreadable record';
  const evidence = [`${path}: ${inspection.detail}`];
  switch (inspection.reason) {
    case 'dead':
      return finding('OWNER_DEAD', `the owner record names ${who}, which is gone (a crashed daemon)`, {
        evidence,
        fix,
        actions,
      });
    case 'reused':
      return finding(
        'OWNER_PID_REUSED',
        `the owner record names pid ${inspection.record?.pid}, which now belongs to an unrelated process`,
        { evidence, fix, actions },
      );
    case 'probe-dead':
      return inspection.record !== null && placeOf(inspection.record) === 'here'
        ? finding(
            'OWNER_PID_REUSED',
            `the owner record names pid ${inspection.record.pid}, which is alive but is not this directory's daemon`,
            { evidence, fix, actions },
          )
        : finding('OWNER_DEAD', `the owner record names ${who}, which no longer listens on its endpoint`, {
            evidence,
            fix,
            actions,
          });
    case 'corrupt':
      return finding('OWNER_CORRUPT', 'the owner record is torn or garbage', { evidence, fix, actions });
    case 'stopped':
      return finding('OWNER_STOPPED_STALE', `the owner lock went stale while ${who} is stopped`, {
        evidence,
        fix: `kill -CONT ${inspection.record?.pid} to resume it, or fbuild daemon stop --force`,
      });
  }
  return finding('OWNER_CORRUPT', `the owner record is stale (${inspection.detail})`, { evidence });
}

export const ownerRecordCheck: Check = {
  id: 'owner-record',
  title: 'owner record',
  run(ctx) {
    let i: LockInspection;
    try {
      i = inspectOwner(ctx.config);
    } catch (err) {
      if (isFbuildError(err, 'STATE_FILE_NOT_REGULAR')) return notAFile(ctx);
      throw err;
    }
    switch (i.state) {
      case 'free':
        return { summary: 'none (no daemon owns the directory; one starts on demand)', findings: [] };
      case 'symlink':
        return notAFile(ctx);
      case 'held':
        return { summary: `held by ${describeOwner(i.record)}${i.stopped ? ' (stopped)' : ''}`, findings: [] };
      case 'foreign-host':
        return {
          summary: '',
          findings: [
            finding('OWNER_OTHER_PLACE', `owned by ${describeOwner(i.record)}, which cannot be checked from here`, {
              evidence: [
                `hostname ${i.record.hostname}, pid namespace ${i.record.pidNs ?? 'unknown'}, boot ${i.record.bootId ?? 'unknown'}`,
              ],
              fix: 'run `fbuild doctor` where that daemon runs',
            }),
          ],
        };
      case 'unreadable':
        return {
          summary: '',
          findings: [
            finding(
              'OWNER_CORRUPT',
              'the owner record does not parse (it counts as held for 2 s after its last change)',
              {
                evidence: [`${ctx.config.files.owner}: ${i.detail}`],
                fix: 'run `fbuild doctor` again in a few seconds; if it stays, `fbuild doctor --fix`',
              },
            ),
          ],
        };
      case 'stale':
        return { summary: '', findings: [staleFinding(ctx, i)] };
    }
  },
};
