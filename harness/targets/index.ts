// The target registry: the one place that names every profile. `reproduce --target NAME`, `harness targets`
// and the workers look profiles up here. Profiles are small; what they drive loads only when a round runs.
import { FbuildError } from '../../src/errors.js';
import { eslintD } from './eslint-d.js';
import { eslintKit } from './eslint-kit.js';
import { fbuildPy } from './fbuild-py.js';
import { hardenedTarget } from './hardened.js';
import { lockfileTarget } from './lockfile.js';
import { nx } from './nx.js';
import { pm2 } from './pm2.js';
import { prettierd } from './prettierd.js';
import { properLockfileTarget } from './proper-lockfile.js';
import type { TargetProfile } from './types.js';

const PROFILES: readonly TargetProfile[] = [
  nx,
  eslintD,
  eslintKit,
  pm2,
  prettierd,
  properLockfileTarget,
  lockfileTarget,
  fbuildPy,
  hardenedTarget,
];

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

/** A target as a survey lists it: `name`, or `name@version` (an exact version, a range or a tag: `nx@24`). */
export interface TargetSpec {
  name: string;
  version: string | null;
  /** as written: `nx@24` */
  spec: string;
}

export function parseTargetSpec(raw: string): TargetSpec {
  const spec = raw.trim();
  const at = spec.indexOf('@', 1);
  const name = at < 0 ? spec : spec.slice(0, at);
  const version = at < 0 ? null : spec.slice(at + 1);
  targetProfile(name);
  if (version === '')
    throw new FbuildError('BAD_OPTION', `${JSON.stringify(raw)}: name a version after the @ (nx@24, eslint_d@14.3.0)`, {
      option: 'targets',
      value: raw,
    });
  return { name, version, spec };
}
