// `fbuild install <spec>`: fetch a package archive into the daemon's content-addressed cache. The request
// carries an idempotency key, and is sent again with the same key if the daemon goes away mid-request
// (requestDaemon), so an install runs at most once even across a daemon crash (I4).
import { randomUUID } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { done, failed, type Out } from '../output.js';

export async function install(spec: string, opts: Out): Promise<number> {
  // the daemon's working directory is not ours: send paths absolute
  const source = /^[a-z][a-z0-9+.-]*:\/\//i.test(spec) || isAbsolute(spec) ? spec : resolve(spec);
  try {
    const { requestDaemon } = await import('../../daemon/client/request.js');
    const { result: r } = await requestDaemon(
      'install',
      { source },
      { idempotencyKey: randomUUID(), repeatSafe: true },
    );
    return done(
      opts,
      { install: r },
      `${r.cached ? 'already cached' : 'installed'}: ${source}\n  sha256 ${r.sha256}\n  ${r.path} (${r.bytes} bytes)`,
    );
  } catch (err) {
    return failed(opts, err);
  }
}
