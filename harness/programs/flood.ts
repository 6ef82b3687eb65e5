// Another local user's attack on the daemon's endpoint (the other-user-flood fault runs it as uid 65534):
// connect again and again for `ms`, trickle a byte every 100 ms on every socket that opened, never
// authenticate; then print what happened as one JSON object ({"connected": n, "EACCES": n, …}) and exit.
// argv: <socket path> <ms>
import { connect, type Socket } from 'node:net';

const [path, ms] = process.argv.slice(2);
if (!path || !ms) {
  process.stderr.write('flood.js <socket path> <ms>\n');
  process.exit(2);
}
const seen: Record<string, number> = {};
const open: Socket[] = [];
const until = Date.now() + Number(ms);
const count = (what: string): void => void (seen[what] = (seen[what] ?? 0) + 1);

function again(): void {
  if (Date.now() > until) {
    process.stdout.write(`${JSON.stringify(seen)}\n`);
    for (const s of open) s.destroy();
    process.exit(0);
  }
  const s = connect(path!);
  s.on('connect', () => {
    count('connected');
    open.push(s);
  });
  s.on('error', (err: NodeJS.ErrnoException) => count(err.code ?? 'error'));
  setTimeout(again, 5);
}

setInterval(() => {
  for (const s of open) s.write('x');
}, 100);
again();
