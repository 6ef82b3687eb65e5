// Find the target a run asked for, installing it on demand where the profile can (npm targets, into the
// cache); a target the rig cannot install (a Python package) is refused with the profile's reason.
import type { TargetLocation } from '../engine/strategy.js';
import { RigError } from '../errors.js';
import { targetProfile } from './index.js';

export async function locateTarget(
  name: string,
  version: string | null,
  cacheDir: string,
  log: (line: string) => void,
  path: string | null = null,
): Promise<TargetLocation> {
  const p = targetProfile(name);
  const o = { cacheDir, version, path };
  const found = await p.locate(o);
  if (found.installed) return found.location;
  if (!found.installable || p.install === undefined) {
    throw new RigError('TARGET_NOT_INSTALLED', `target ${name} is not installed: ${found.why}`, { target: name });
  }
  return p.install(o, log);
}
