// The pre-fix daemon, rebuilt for the rig (never in src/): it announces itself by writing its pid file with
// no lock at all, so every client that found no live pid gets a daemon of its own and the last writer wins
// the file. It idles until a stop file appears or ~3 s pass.
// argv: --fbuild-naive-daemon --state-dir=<dir> (the census signature)

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emit } from '../../src/events.js';

const IDLE_EXIT_MS = 3_000;
const POLL_MS = 25;

const arg = process.argv.find((a) => a.startsWith('--state-dir='));
if (!arg) {
  process.stderr.write('naive-daemon: --state-dir=<dir> is required\n');
  process.exit(2);
}
const stateDir = arg.slice('--state-dir='.length);
const pidFile = join(stateDir, 'daemon.pid');
const stopFile = join(stateDir, 'stop');
const nonce = randomBytes(8).toString('hex');

emit('daemon', 'start', { nonce });
writeFileSync(pidFile, String(process.pid)); // the bug: no lock, no check, truncate-then-write
emit('daemon', 'claimed', { nonce });
emit('daemon', 'ready', { nonce });

const startedAt = Date.now();
const timer = setInterval(() => {
  if (!existsSync(stopFile) && Date.now() - startedAt < IDLE_EXIT_MS) return;
  clearInterval(timer);
  emit('daemon', 'released', { nonce });
  try {
    if (readFileSync(pidFile, 'utf8').trim() === String(process.pid)) unlinkSync(pidFile);
  } catch {
    // already gone
  }
  emit('daemon', 'exit', { nonce, code: 0 });
  process.exit(0);
}, POLL_MS);
