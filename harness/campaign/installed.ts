// `survey --targets installed`: every profile that can run here without installing anything — as the profile
// finds it by default — and, for npm targets, every other version finished in the cache (`nx` and `nx@24.0.7`
// side by side when both were installed).

import { TARGETS, targetProfile } from '../targets/index.js';
import { cachedVersions } from '../targets/install.js';

export async function installedSpecs(cacheDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of TARGETS) {
    const p = targetProfile(name);
    const found = await p.locate({ cacheDir, version: null });
    const own = found.installed ? found.location.version : null;
    if (own !== null) out.push(name);
    const others = p.npmPackage === undefined ? [] : cachedVersions(p.npmPackage, cacheDir);
    for (const v of others) if (v !== own) out.push(`${name}@${v}`);
  }
  return out;
}
