// A process that listens on a Unix socket path and does nothing else: it accepts connections and never says a
// word, like a server of another protocol. Faults use it as a squatter on the daemon's endpoint, and as the
// listener a "crashed daemon" held before it was SIGKILLed (leaving its socket file behind).
// argv: <socket path>. Prints "up" once listening.
import { createServer } from 'node:net';

const path = process.argv[2];
if (!path) {
  process.stderr.write('listener.js <socket path>\n');
  process.exit(2);
}
createServer(() => undefined).listen(path, () => process.stdout.write('up\n'));
