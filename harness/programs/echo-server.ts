#!/usr/bin/env node
// The floor for ensureDaemon(): a trivial server that answers each JSON line with one JSON line, on the same
// kind of endpoint the daemon uses. Run as its own process (like the daemon): `echo-server.js <JSON path>`
// (JSON because an abstract socket name starts with NUL, which argv cannot carry).
// Prints "ready" once listening; the bench ends it by pid.
import { createServer } from 'node:net';
import { eachLine } from '../engine/lines.js';

const raw = process.argv[2];
const path = raw === undefined ? undefined : (JSON.parse(raw) as string);
if (!path) {
  process.stderr.write('usage: echo-server.js <JSON-encoded socket path>\n');
  process.exit(2);
}
const server = createServer((socket) => {
  eachLine(socket, (line) => {
    const msg = JSON.parse(line) as Record<string, unknown>;
    socket.write(JSON.stringify({ t: 'echo', ...msg }) + '\n');
  });
  socket.on('error', () => socket.destroy());
});
server.listen(path, () => process.stdout.write('ready\n'));
