// A survey lists targets as `name` or `name@version`; fbuild-py looks in --target-path first, then in
// $FBUILD_RIG_FBUILD_PATH, then in the released source beside the project.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fbuildSearchPath } from '../../../../harness/targets/fbuild-py.js';
import { parseTargetSpec } from '../../../../harness/targets/index.js';

describe('target specs', () => {
  it('splits name@version (exact, range or tag) and keeps the spec as written', () => {
    expect(parseTargetSpec('nx')).toEqual({ name: 'nx', version: null, spec: 'nx' });
    expect(parseTargetSpec('nx@24')).toEqual({ name: 'nx', version: '24', spec: 'nx@24' });
    expect(parseTargetSpec(' eslint_d@14.3.0 ')).toEqual({
      name: 'eslint_d',
      version: '14.3.0',
      spec: 'eslint_d@14.3.0',
    });
  });

  it('rejects an unknown target and an empty version (BAD_OPTION)', () => {
    for (const bad of ['nope', 'nope@1', 'nx@', '@1']) {
      expect(() => parseTargetSpec(bad), bad).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    }
  });
});

describe('fbuild-py search path', () => {
  it('--target-path wins, then FBUILD_RIG_FBUILD_PATH (empty: none), then the released source when present', () => {
    expect(fbuildSearchPath('rel/dir', { FBUILD_RIG_FBUILD_PATH: '/x' })).toBe(resolve('rel/dir'));
    expect(fbuildSearchPath(null, { FBUILD_RIG_FBUILD_PATH: '/x' })).toBe('/x');
    expect(fbuildSearchPath(null, { FBUILD_RIG_FBUILD_PATH: '' })).toBeNull();
    const found = fbuildSearchPath(null, {});
    if (found !== null) expect(found.endsWith(join('shared', 'third_party', 'fbuild-1.3.27', 'src'))).toBe(true);
  });
});
