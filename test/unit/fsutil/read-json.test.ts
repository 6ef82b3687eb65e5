import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJsonFile } from '../../../src/fsutil/read-json.js';
import { symlinksVisible } from '../../helpers/symlinks.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fbuild-readjson-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function codeOf(r: ReturnType<typeof readJsonFile>): string | undefined {
  return r.ok ? undefined : (r.error as { code?: string } | undefined)?.code;
}

describe('readJsonFile', () => {
  it('reads valid JSON (with or without a BOM) and reports a missing file', () => {
    const f = join(dir, 'owner.json');
    writeFileSync(f, '{"pid":42,"s":"\u00e9\u{1f600}"}');
    expect(readJsonFile(f)).toEqual({ ok: true, value: { pid: 42, s: '\u00e9\u{1f600}' } });
    writeFileSync(f, '\ufeff[1]');
    expect(readJsonFile(f)).toEqual({ ok: true, value: [1] });
    expect(readJsonFile(join(dir, 'nope.json'))).toEqual({ ok: false, reason: 'missing' });
    expect(readJsonFile(join(dir, 'nope', 'deeper.json'))).toEqual({ ok: false, reason: 'missing' });
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['truncated', Buffer.from('{"pid":42,"st')],
    ['binary', Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x0a])],
    [
      'invalid UTF-8 inside a string',
      Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
    ],
    ['two documents', Buffer.from('{}{}')],
  ])('%s file → corrupt with STATE_FILE_CORRUPT', (_name, bytes) => {
    const f = join(dir, 'status.json');
    writeFileSync(f, bytes);
    const r = readJsonFile(f);
    expect(r).toMatchObject({ ok: false, reason: 'corrupt' });
    expect(codeOf(r)).toBe('STATE_FILE_CORRUPT');
  });

  it('does not read a file over the size limit', () => {
    const f = join(dir, 'huge.json');
    writeFileSync(f, JSON.stringify('x'.repeat(5000)));
    expect(readJsonFile(f, { maxBytes: 4096 })).toMatchObject({ ok: false, reason: 'corrupt' });
    expect(readJsonFile(f, { maxBytes: 8192 }).ok).toBe(true);
  });

  it.skipIf(!symlinksVisible())('refuses a symlink (even to valid JSON) with STATE_FILE_SYMLINK', () => {
    const real = join(dir, 'real.json');
    writeFileSync(real, '{"ok":true}');
    const link = join(dir, 'owner.json');
    symlinkSync(real, link);
    const r = readJsonFile(link);
    expect(r).toMatchObject({ ok: false, reason: 'corrupt' });
    expect(codeOf(r)).toBe('STATE_FILE_SYMLINK');
    symlinkSync(join(dir, 'dangling'), join(dir, 'dangling.json'));
    expect(codeOf(readJsonFile(join(dir, 'dangling.json')))).toBe('STATE_FILE_SYMLINK');
  });

  it('reports a directory as corrupt', () => {
    mkdirSync(join(dir, 'd.json'));
    expect(readJsonFile(join(dir, 'd.json'))).toMatchObject({ ok: false, reason: 'corrupt' });
  });

  it.skipIf(process.platform === 'win32')('does not hang on a FIFO planted as a state file', () => {
    const fifo = join(dir, 'status.json');
    execFileSync('mkfifo', [fifo]);
    expect(readJsonFile(fifo)).toMatchObject({ ok: false, reason: 'corrupt' });
  });

  it('never throws on arbitrary bytes', () => {
    const f = join(dir, 'fuzz.json');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        writeFileSync(f, bytes);
        const r = readJsonFile(f);
        if (r.ok) expect(JSON.stringify(r.value)).toBeDefined();
        else expect(r.reason).toBe('corrupt');
      }),
      { numRuns: 300 },
    );
  });
});
