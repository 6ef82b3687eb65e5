// I5 for status.json: a reader looping over the file (JSON.parse every read) while the daemon serves thousands
// of requests — and, because the daemon coalesces its status writes to ~4/s, while a second process replaces
// the same file thousands of times with very different sizes — never sees a torn file.

import type { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { nowMs } from '../../../src/clock.js';
import { connectDaemon } from '../../../src/daemon/client/connect.js';
import { resolveConfig } from '../../../src/daemon/shared/config.js';
import { daemonSandboxes } from '../../helpers/daemon.js';
import { childTracker } from '../../helpers/procs.js';

const sandbox = daemonSandboxes('fbuild-status-');
const procs = childTracker();
const fixtures = join(import.meta.dirname, '../../fixtures/daemon');
const WRITES = 2_000;
const CONNECTIONS = 4;
const REQUESTS_PER_CONNECTION = 500;

function lines(child: ReturnType<typeof spawn>): AsyncIterator<string> {
  return createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
}

describe('status.json is never torn', () => {
  it(`reader vs ${CONNECTIONS * REQUESTS_PER_CONNECTION} daemon requests + ${WRITES} atomic rewrites of 0 B–256 KiB from another process`, async () => {
    const box = sandbox();
    const { identity } = await box.ensure();
    const config = resolveConfig(box.env, box.stateDir);
    const statusPath = config.files.status;

    const reader = procs.start(process.execPath, [join(fixtures, 'status-reader.mjs'), statusPath], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const readerOut = lines(reader);
    expect(JSON.parse((await readerOut.next()).value)).toEqual({ ready: true });
    const writer = procs.start(process.execPath, [join(fixtures, 'status-writer.mjs'), statusPath, String(WRITES)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const writerOut = lines(writer);

    const load = Array.from({ length: CONNECTIONS }, async () => {
      const conn = await connectDaemon({
        endpoint: config.endpoint,
        secretPath: config.files.secret,
        protocol: config.protocol,
        deadline: nowMs() + 5_000,
      });
      for (let i = 0; i < REQUESTS_PER_CONNECTION; i++)
        await conn.request(i % 10 === 0 ? 'status' : 'ping', {}, { deadline: nowMs() + 10_000 });
      conn.close();
    });
    await Promise.all(load);
    expect(JSON.parse((await writerOut.next()).value)).toEqual({ writes: WRITES });
    expect(await procs.exited(writer)).toBe(0);

    reader.stdin!.end('stop\n');
    const summary = JSON.parse((await readerOut.next()).value);
    expect(await procs.exited(reader)).toBe(0);
    console.log(
      `[status] ${summary.reads} reads (${summary.sizes} distinct sizes, kinds ${JSON.stringify(summary.kinds)}), torn ${summary.torn}, missing ${summary.missing}`,
    );
    expect(summary.firstTorn).toBeNull();
    expect(summary.torn).toBe(0);
    expect(summary.missing).toBe(0);
    expect(summary.reads).toBeGreaterThan(100);
    expect(box.alive()).toEqual([identity.pid]);
  });
});
