// `fbuild install <spec>`: fetch a package archive into the daemon's content-addressed cache. The request
// carries an idempotency key, and is retried once with the same key if the daemon goes away mid-request, so
// an install runs at most once even across a daemon crash (I4).
import { nowMs } from '../../clock.js';
import { randomUUID } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { isFbuildError } from '../../errors.js';
import { done, failed, type Out } from '../output.js';

export async function install(spec: string, o: Out): Promise<number> {
  // the daemon's working directory is not ours: send paths absolute
  const source = /^[a-z][a-z0-9+.-]*:\/\//i.test(spec) || isAbsolute(spec) ? spec : resolve(spec);
  const key = randomUUID();
  try {
    const { ensureDaemon } = await import('../../daemon/client/ensure.js');
    const { probeDaemon } = await import('../../daemon/client/probe.js');
    const { resolveConfig } = await import('../../daemon/shared/config.js');
    const config = resolveConfig();
    for (let attempt = 0; ; attempt++) {
      await ensureDaemon();
      const conn = await probeDaemon(config, nowMs() + 10_000, true);
      if (!conn) continue;
      try {
        const r = (await conn.request('install', { source }, { idempotencyKey: key })) as { sha256: string; path: string; bytes: number; cached: boolean };
        return done(o, { install: r }, `${r.cached ? 'already cached' : 'installed'}: ${source}\n  sha256 ${r.sha256}\n  ${r.path} (${r.bytes} bytes)`);
      } catch (err) {
        if (attempt === 0 && isFbuildError(err, 'CONNECTION_CLOSED')) continue;
        throw err;
      } finally {
        conn.close();
      }
    }
  } catch (err) {
    return failed(o, err);
  }
}
