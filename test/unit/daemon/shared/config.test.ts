// The resolved config: a client's knobs (client-config.ts, what `fbuild daemon status` resolves without loading
// the lock library) and the daemon's, which adds the lock strategy the client's names.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveClientConfig } from '../../../../src/daemon/shared/client-config.js';
import { resolveConfig } from '../../../../src/daemon/shared/config.js';
import { LOCK_STRATEGIES } from '../../../../src/lock/index.js';
import { LOCK_STRATEGY_NAMES } from '../../../../src/lock/names.js';

const dir = join(tmpdir(), 'fbuild-config-unit');
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return { code: (err as { code?: string }).code, message: (err as Error).message };
  }
  return null;
};

describe('resolveConfig / resolveClientConfig', () => {
  it('every strategy name maps to that strategy, and the daemon config is the client config plus it', () => {
    expect([...LOCK_STRATEGY_NAMES].sort()).toEqual(Object.keys(LOCK_STRATEGIES).sort());
    for (const name of LOCK_STRATEGY_NAMES) {
      const env = { FBUILD_LOCK: name, FBUILD_DAEMON_IDLE_MS: '4321' };
      const client = resolveClientConfig(env, dir);
      const { lock, ...rest } = resolveConfig(env, dir);
      expect(client.lockName).toBe(name);
      expect(lock).toBe(LOCK_STRATEGIES[name]);
      expect(lock.name).toBe(name);
      expect(rest).toEqual(client);
      expect(client.idleExitMs).toBe(4321);
    }
  });

  it('FBUILD_LOCK unset or empty is owner-record', () => {
    expect(resolveClientConfig({}, dir).lockName).toBe('owner-record');
    expect(resolveConfig({ FBUILD_LOCK: '' }, dir).lock.name).toBe('owner-record');
  });

  it('an unknown strategy is BAD_OPTION naming the choices, from either resolver', () => {
    for (const resolve of [resolveClientConfig, resolveConfig]) {
      const err = codeOf(() => resolve({ FBUILD_LOCK: 'flock' }, dir));
      expect(err?.code).toBe('BAD_OPTION');
      expect(err?.message).toContain('"flock"');
      for (const name of LOCK_STRATEGY_NAMES) expect(err?.message).toContain(name);
    }
  });

  it('a knob that is not an integer at or above its minimum is BAD_OPTION naming it', () => {
    for (const raw of ['abc', '1.5', '99', '-1']) {
      const err = codeOf(() => resolveClientConfig({ FBUILD_DAEMON_IDLE_MS: raw }, dir));
      expect(err?.code, raw).toBe('BAD_OPTION');
      expect(err?.message).toContain('FBUILD_DAEMON_IDLE_MS');
    }
  });
});
