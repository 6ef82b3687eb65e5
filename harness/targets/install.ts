// npm targets on demand: `npm install --prefix <cache>/<pkg>@<version> <pkg>@<version>` from the registry, never
// into this project. Installs go to a private temp dir that is renamed into place only when complete, so two
// runs installing at once, or an interrupted install, never leave a half tree that looks installed.
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { TargetLocation } from '../engine/strategy.js';
import { RigError } from '../errors.js';
import type { Located, TargetProfile } from './types.js';

/** written last: its presence means the install finished */
const DONE = '.fbuild-rig-installed.json';
const INSTALL_TIMEOUT_MS = 10 * 60_000;

/** FBUILD_RIG_CACHE, else $XDG_CACHE_HOME/fbuild-rig/targets, else ~/.cache/fbuild-rig/targets. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FBUILD_RIG_CACHE) return env.FBUILD_RIG_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'fbuild-rig', 'targets');
}

const npmBin = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function npm(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      npmBin,
      args,
      { cwd, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, shell: process.platform === 'win32' },
      (err, stdout, stderr) => {
        if (err)
          reject(
            new RigError(
              'TARGET_INSTALL_FAILED',
              `npm ${args.join(' ')} failed: ${(stderr || err.message).trim().split('\n').slice(-6).join(' | ')}`,
              { args },
            ),
          );
        else resolve(stdout);
      },
    );
  });
}

const exact = (v: string): boolean => /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(v);

/** The installed package's own version (its package.json), or null. */
export function installedVersion(pkgDir: string): string | null {
  try {
    const v = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** The cache folder of `pkg@version`: one level, also for a scoped package (`@fsouza/prettierd` → `@fsouza+prettierd`). */
const dirName = (pkg: string, version: string): string => `${pkg.replace('/', '+')}@${version}`;

/** Every version of `pkg` whose install in the cache finished, oldest first. */
export function cachedVersions(pkg: string, cacheDir: string): string[] {
  const prefix = dirName(pkg, '');
  let names: string[] = [];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(prefix) && existsSync(join(cacheDir, n, DONE)))
    .map((n) => n.slice(prefix.length))
    .filter((v) => exact(v) && installedVersion(join(cacheDir, dirName(pkg, v), 'node_modules', pkg)) === v)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** Is `pkg@version` (an exact version) installed in the cache? */
export function locateNpm(name: string, pkg: string, version: string, cacheDir: string): Located {
  if (!exact(version))
    return {
      installed: false,
      why: `${pkg}@${version} is not an exact version; it is resolved when installed`,
      installable: true,
    };
  const root = join(cacheDir, dirName(pkg, version));
  if (!existsSync(join(root, DONE)) || installedVersion(join(root, 'node_modules', pkg)) !== version) {
    return {
      installed: false,
      why: `${pkg}@${version} is not in ${cacheDir} (installed on demand from the npm registry)`,
      installable: true,
    };
  }
  return { installed: true, location: { name, version, source: 'cache', root } };
}

/** Install `pkg@spec` into the cache unless it is there; a range or tag is resolved to one exact version first. */
export async function installNpm(
  name: string,
  pkg: string,
  spec: string,
  cacheDir: string,
  log: (line: string) => void,
): Promise<TargetLocation> {
  mkdirSync(cacheDir, { recursive: true });
  const version = exact(spec)
    ? spec
    : (JSON.parse(await npm(['view', `${pkg}@${spec}`, 'version', '--json'], cacheDir)) as string | string[]);
  const v = Array.isArray(version) ? version.at(-1)! : version;
  const have = locateNpm(name, pkg, v, cacheDir);
  if (have.installed) return have.location;
  log(`installing ${pkg}@${v} into ${cacheDir} (npm registry) …`);
  const tmp = mkdtempSync(join(cacheDir, `.${dirName(pkg, v)}-`));
  try {
    writeFileSync(join(tmp, 'package.json'), JSON.stringify({ name: 'fbuild-rig-target', private: true }));
    await npm(['install', '--prefix', tmp, '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${v}`], tmp);
    writeFileSync(join(tmp, DONE), JSON.stringify({ pkg, version: v, installedAt: new Date().toISOString() }));
    const root = join(cacheDir, dirName(pkg, v));
    try {
      renameSync(tmp, root);
    } catch (err) {
      // another run finished the same install first: use its tree
      if (!locateNpm(name, pkg, v, cacheDir).installed) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const done = locateNpm(name, pkg, v, cacheDir);
  if (!done.installed)
    throw new RigError('TARGET_INSTALL_FAILED', `${pkg}@${v} was installed but is not usable: ${done.why}`, {
      pkg,
      version: v,
    });
  return done.location;
}

/** The script a package's `bin` entry names (package.json), as an absolute path: run it with this Node. */
export function binScript(pkgDir: string, name: string): string {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
    bin?: string | Record<string, string>;
  };
  const rel = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.[name];
  if (rel === undefined)
    throw new RigError('TARGET_NOT_INSTALLED', `${pkgDir}/package.json has no bin entry ${name}`, { pkgDir, name });
  return join(pkgDir, rel);
}

/** `--target-path DIR`: an install of `pkg` the user made (DIR/node_modules/<pkg>), whatever its version. */
export function locateAtPath(name: string, pkg: string, dir: string): Located {
  const version = installedVersion(join(dir, 'node_modules', pkg));
  if (version === null)
    return {
      installed: false,
      why: `--target-path ${dir} has no node_modules/${pkg}/package.json`,
      installable: false,
    };
  return { installed: true, location: { name, version, source: 'path', root: dir } };
}

/** The locate/install pair of a profile whose target is one npm package (default version unless --target-version). */
export function npmTarget(
  name: string,
  pkg: string,
  defaultVersion: string,
): Pick<TargetProfile, 'locate' | 'install' | 'npmPackage'> {
  return {
    npmPackage: pkg,
    locate: async (opts) =>
      opts.path
        ? locateAtPath(name, pkg, opts.path)
        : locateNpm(name, pkg, opts.version ?? defaultVersion, opts.cacheDir),
    install: (o, log) => installNpm(name, pkg, o.version ?? defaultVersion, o.cacheDir, log),
  };
}
