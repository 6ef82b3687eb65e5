// The target registry: the one place that names every profile. `reproduce --target NAME`, `harness targets`
// and the workers look profiles up here. Profiles are small; what they drive loads only when a round runs.
import { FbuildError } from '../../src/errors.js';
import { eslintD } from './eslint-d.js';
import { fbuildPy } from './fbuild-py.js';
import { hardenedTarget } from './hardened.js';
import { nx } from './nx.js';
import { properLockfileTarget } from './proper-lockfile.js';
import type { TargetProfile } from './types.js';

const PROFILES: readonly TargetProfile[] = [nx, eslintD, properLockfileTarget, fbuildPy, hardenedTarget];

export const TARGETS: readonly string[] = PROFILES.map((p) => p.name);

export function targetProfile(name: string | null): TargetProfile {
  const p = PROFILES.find((x) => x.name === name);
  if (!p)
    throw new FbuildError('BAD_OPTION', `--target must be one of ${TARGETS.join(', ')}, got ${JSON.stringify(name)}`, {
      option: 'target',
      value: name,
    });
  return p;
}
