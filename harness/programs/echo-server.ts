#!/usr/bin/env node
// The floor for ensureDaemon(): a trivial server that answers each JSON line with one JSON line, on the same
// kind of endpoint the daemon uses. Run as its own process (like the daemon): `echo-server.js <JSON path>`
// (JSON because an abstract socket name starts with NUL, which argv cannot carry).
// Prints "ready" once listening; the bench ends it by pid.
import { createServer } from 'node:net';

const raw = process.argv[2];
const path = raw === undefined ? undefined : (JSON.parse(raw) as string);
if (!path) {
  process.stderr.write('usage: echo-server.js <JSON-encoded socket path>\n');
  process.exit(2);
}
const server = createServer((socket) => {
  let buf = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const msg = JSON.parse(line) as Record<string, unknown>;
      socket.write(JSON.stringify({ t: 'echo', ...msg }) + '\n');
    }
  });
  socket.on('error', () => socket.destroy());
});
server.listen(path, () => process.stdout.write('ready\n'));
