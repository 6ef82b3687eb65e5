// A client the rig starts outside its worker pool (in another PID namespace, under a faked clock, arriving
// late): one ensureDaemon() through the kit's public API, its outcome printed as one JSON line
// ({"ok":true,"nonce":…,"pid":…} or {"ok":false,"code":…,"message":…}). With --stay it then keeps running
// until killed (pid 1 of a namespace must outlive the daemon it started).
// argv: <state dir> <deadline ms> <rig daemon: fbuild|hello> [--stay]
import { ensureDaemon } from '../../src/index.js';
import { daemonDefinition, rigDaemon } from '../strategies/daemons.js';

const [stateDir, deadline, name, stay] = process.argv.slice(2);
if (!stateDir || !deadline || !name) {
  process.stderr.write('ensure-client.js <state dir> <deadline ms> <fbuild|hello> [--stay]\n');
  process.exit(2);
}
const daemon = daemonDefinition(rigDaemon(name));
const say = (outcome: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(outcome)}\n`);
try {
  const r = await ensureDaemon({ stateDir, deadlineMs: Number(deadline), daemon });
  say({ ok: true, nonce: r.identity.nonce, pid: r.identity.pid });
} catch (err) {
  const e = err as { code?: unknown; message?: unknown };
  say({ ok: false, code: e.code, message: e.message });
}
if (stay === '--stay') setInterval(() => undefined, 1_000);
