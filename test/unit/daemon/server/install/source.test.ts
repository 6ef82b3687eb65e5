import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseInstallSource } from '../../../../../src/daemon/server/install/source.js';
import { isFbuildError } from '../../../../../src/errors.js';

describe('parseInstallSource', () => {
  it('normalises http(s) URLs so that spellings of one URL share a key', () => {
    const a = parseInstallSource('HTTP://Example.COM:80/pkg/../a.zip#sha=1');
    const b = parseInstallSource('http://example.com/a.zip');
    expect(a).toMatchObject({ kind: 'http', key: 'http://example.com/a.zip' });
    expect(a.key).toBe(b.key);
    expect(parseInstallSource('https://example.com/a.zip?v=2').key).toBe('https://example.com/a.zip?v=2');
  });

  it('gives a path and its file:// URL the same key', () => {
    const path = resolve('/tmp/x/../pkg.zip');
    expect(parseInstallSource('/tmp/x/../pkg.zip')).toEqual({ kind: 'file', path, key: path });
    expect(parseInstallSource(pathToFileURL(path).href).key).toBe(path);
    expect(parseInstallSource(pathToFileURL(join('/tmp', 'a b#c.zip')).href).key).toBe(join('/tmp', 'a b#c.zip'));
  });

  it.each([
    [''],
    ['  '],
    ['ftp://example.com/a.zip'],
    ['relative/a.zip'],
    ['./a.zip'],
    ['data:,hello'],
    ['/tmp/a\0b'],
    [null],
    [{ url: 'http://x' }],
  ])('rejects %j with INSTALL_BAD_SPEC', (spec) => {
    let thrown: unknown;
    try {
      parseInstallSource(spec);
    } catch (err) {
      thrown = err;
    }
    expect(isFbuildError(thrown, 'INSTALL_BAD_SPEC')).toBe(true);
  });

  it.runIf(process.platform !== 'win32')('rejects a file URL naming another host', () => {
    expect(() => parseInstallSource('file://otherhost/a.zip')).toThrow(
      expect.objectContaining({ code: 'INSTALL_BAD_SPEC' }),
    );
  });
});
