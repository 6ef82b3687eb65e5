// proper-lockfile (npm `proper-lockfile`), lock only, no daemon: a process took the lock and died (SIGKILL,
// so its lock directory stayed), a minute ago — then N processes take the lock at once. Each one that finds
// the lock stale removes it and makes its own; proper-lockfile's stale takeover is a check-then-act (its
// issue #121): a slower contender can remove the lock a faster one has just taken, and both hold it. Each
// worker process is one contender (it calls the library itself), logs its hold, holds 25 ms and lets go;
// I1 is judged from the holds. The library is this repository's own dependency unless --target-version
// asks for another (then it is installed into the cache).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { sleep } from '../../src/clock.js';
import { emit } from '../../src/events.js';
import { entryPath, projectRoot } from '../../src/paths.js';
import { checkLockHolds } from '../checkers/lock-holds.js';
import { outcomeError, type TargetLocation } from '../engine/strategy.js';
import { installedVersion, installNpm, locateAtPath, locateNpm } from './install.js';
import type { Sandbox } from './sandbox.js';
import type { TargetProfile } from './types.js';

const PKG = 'proper-lockfile';
const HOLD_MS = 25;
/** the library's default staleness window; the dead holder's lock is dated well before it */
const STALE_MS = 10_000;
const DEAD_FOR_MS = 60_000;

interface ProperLockfile {
  lock(file: string, o: Record<string, unknown>): Promise<() => Promise<void>>;
}

const resource = (sb: Sandbox): string => join(sb.ws, 'resource');
const pkgDir = (t: TargetLocation): string => (t.source === 'project' ? t.root : join(t.root, 'node_modules', PKG));

function projectCopy(): TargetLocation | null {
  try {
    const dir = dirname(createRequire(join(projectRoot, 'package.json')).resolve(`${PKG}/package.json`));
    const version = installedVersion(dir);
    return version === null ? null : { name: 'proper-lockfile', version, source: 'project', root: dir };
  } catch {
    return null;
  }
}

export const properLockfileTarget: TargetProfile = {
  name: 'proper-lockfile',
  summary:
    "proper-lockfile, lock only: N processes take a lock a dead process left stale (I1; the library's issue #121)",
  defaultExpect: 'single',
  expectWhy:
    'a lock must never have two holders; the race is timing-dependent (not every round), so `race` would fail rounds that did not hit it',
  deadlineMs: 30_000,
  invariants: ['I1', 'I6'],
  hasEventLog: true,
  npmPackage: PKG,
  async locate(opts) {
    if (opts.path) return locateAtPath('proper-lockfile', PKG, opts.path);
    const own = projectCopy();
    if (own !== null && (opts.version === null || opts.version === own.version))
      return { installed: true, location: own };
    return locateNpm('proper-lockfile', PKG, opts.version ?? 'latest', opts.cacheDir);
  },
  install: (o, log) => installNpm('proper-lockfile', PKG, o.version ?? 'latest', o.cacheDir, log),
  async prepare(sb, target) {
    const file = resource(sb);
    writeFileSync(file, 'guarded\n');
    // a real process takes the lock and dies holding it; its lock directory is then dated a minute back
    const r = spawnSync(process.execPath, [entryPath('harness/programs/stale-lock'), pkgDir(target), file]);
    if (r.signal !== 'SIGKILL')
      throw new Error(`the stale-lock planter did not die holding the lock: ${r.stderr.toString().trim()}`);
    const past = new Date(Date.now() - DEAD_FOR_MS);
    utimesSync(`${file}.lock`, past, past);
  },
  env: () => ({}),
  clients: () => [],
  async runClient(ctx, sb, target) {
    const client = `proper-lockfile lock(resource) after a dead holder`;
    const lib = createRequire(import.meta.url)(pkgDir(target)) as ProperLockfile;
    const nonce = randomBytes(6).toString('hex');
    let compromised: string | null = null;
    try {
      const deadline = new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(Object.assign(new Error(`no lock within ${ctx.deadlineMs} ms`), { code: 'DEADLINE' })),
          ctx.deadlineMs,
        ).unref(),
      );
      const release = await Promise.race([
        lib.lock(resource(sb), {
          realpath: false,
          stale: STALE_MS,
          retries: { retries: 1_000, minTimeout: 5, maxTimeout: 25, randomize: true },
          onCompromised: (err: Error) => {
            compromised = err.message;
          },
        }),
        deadline,
      ]);
      emit('client', 'lock-acquired', { lock: 'bare', nonce });
      await sleep(HOLD_MS);
      emit('client', 'lock-released', { lock: 'bare', nonce });
      let warning: string | undefined;
      await release().catch((err: unknown) => {
        warning = `release failed: ${outcomeError(err).code}: ${outcomeError(err).message}`;
      });
      if (compromised !== null) warning = `the library reported the lock compromised: ${compromised}`;
      return {
        ok: true,
        daemon: null,
        spawned: false,
        error: null,
        client,
        ...(warning === undefined ? {} : { warning }),
      };
    } catch (err) {
      return { ok: false, daemon: null, spawned: false, error: outcomeError(err), client };
    }
  },
  daemonMatch: null,
  check: (_ctx, seen) => checkLockHolds(seen.events),
};
