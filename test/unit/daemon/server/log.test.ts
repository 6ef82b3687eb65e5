// N12: the daemon log and the rig's event log are appended to, so a hard link planted at either name must not
// be written through. The daemon's logger falls back to its stderr (here a capture); emit() refuses loudly.
import { linkSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileLogger } from '../../../../src/daemon/server/log.js';
import { emit, resetEventLog } from '../../../../src/events.js';
import { tempDirs } from '../../../helpers/tmp.js';

const tmp = tempDirs('fbuild-log-');
const savedEventLog = process.env.FBUILD_EVENT_LOG;
afterEach(() => {
  if (savedEventLog === undefined) delete process.env.FBUILD_EVENT_LOG;
  else process.env.FBUILD_EVENT_LOG = savedEventLog;
  resetEventLog();
});

describe('daemon log', () => {
  it('writes lines to a plain file; a hard link planted there later gets none of them, stderr gets them all', () => {
    const dir = tmp();
    const log = join(dir, 'daemon.log');
    const fallback: string[] = [];
    const logger = fileLogger(log, (text) => fallback.push(text));
    logger('first');
    expect(readFileSync(log, 'utf8')).toMatch(/ first\n$/);
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious\n');
    linkSync(victim, join(dir, 'tmp-link'));
    renameSync(join(dir, 'tmp-link'), log);
    logger('second');
    logger('third');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(fallback.filter((l) => l.includes('[STATE_FILE_LINKED]'))).toHaveLength(1); // the reason, once
    expect(fallback.filter((l) => / (second|third)\n$/.test(l))).toHaveLength(2);
  });
});

describe('event log (FBUILD_EVENT_LOG)', () => {
  it('a hard link at the event log is refused (STATE_FILE_LINKED), never written', () => {
    const dir = tmp();
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious\n');
    const events = join(dir, 'events.ndjson');
    linkSync(victim, events);
    process.env.FBUILD_EVENT_LOG = events;
    resetEventLog();
    expect(() => emit('rig', 'barrier')).toThrow(expect.objectContaining({ code: 'STATE_FILE_LINKED' }));
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });
});
