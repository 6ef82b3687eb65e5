// The client side of the bench's round-trip floor (bench/echo.ts starts the server): used in-process by the
// ensureDaemon() figure and by each cold-start client in its echo run (programs/cold-client.ts).
import { connect } from 'node:net';
import { helloFrame } from '../../src/index.js';
import { eachLine } from './lines.js';

/** connect, send one hello line, wait for one line back, close — against the echo server or the daemon */
export function roundTrip(path: string, nonce: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(path);
    s.once('connect', () => s.write(helloFrame(nonce)));
    eachLine(s, (line) => {
      JSON.parse(line);
      s.destroy();
      resolve();
    });
    s.once('error', reject);
  });
}
