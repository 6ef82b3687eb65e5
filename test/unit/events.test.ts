// emit() with its fields as a function: called only when the event log is on, so a field that costs something to
// read (the daemon's uptime through the `performance` global, ~1.5 ms on first use) costs nothing without a log.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { emit, resetEventLog } from '../../src/events.js';

const saved = process.env.FBUILD_EVENT_LOG;
const dir = mkdtempSync(join(tmpdir(), 'fbuild-events-'));
afterEach(() => {
  if (saved === undefined) delete process.env.FBUILD_EVENT_LOG;
  else process.env.FBUILD_EVENT_LOG = saved;
  resetEventLog();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('emit', () => {
  it('never calls a fields function without a log', () => {
    delete process.env.FBUILD_EVENT_LOG;
    resetEventLog();
    const fields = vi.fn(() => ({ costly: 1 }));
    emit('daemon', 'start', fields);
    expect(fields).not.toHaveBeenCalled();
  });

  it('writes what a fields function returns, and plain fields as before, when the log is on', () => {
    const log = join(dir, 'events.ndjson');
    process.env.FBUILD_EVENT_LOG = log;
    resetEventLog();
    const fields = vi.fn(() => ({ uptimeMs: 12.5 }));
    emit('daemon', 'start', fields);
    emit('client', 'ensure-start', { stateDir: '/x' });
    expect(fields).toHaveBeenCalledTimes(1);
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({ role: 'daemon', ev: 'start', uptimeMs: 12.5, pid: process.pid }),
      expect.objectContaining({ role: 'client', ev: 'ensure-start', stateDir: '/x' }),
    ]);
  });
});
