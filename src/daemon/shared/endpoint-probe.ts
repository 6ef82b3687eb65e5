// Does anything accept connections at an endpoint? Used by the owner of the lock before it removes a leftover
// socket file, and to judge an owner that cannot be judged by its pid (another PID namespace): for a socket
// file on the shared filesystem, the kernel keeps a listener only while its process lives.
import { connect, type Socket } from 'node:net';
import { errnoCode } from '../../errors.js';
import type { Endpoint } from './endpoint.js';
import { socketAddress } from './socket-address.js';

/** 'refused': the name exists, nobody listens; 'absent': no such name; 'unknown': some other error. */
export type ProbeResult = 'listening' | 'refused' | 'absent' | 'unknown';

export function probeConnect(endpoint: Endpoint, timeoutMs = 1_000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let sock: Socket;
    try {
      const addr = socketAddress(endpoint);
      try {
        sock = connect(addr.address);
      } finally {
        addr.release();
      }
    } catch (err) {
      return resolve(errnoCode(err) === 'ENOENT' ? 'absent' : 'unknown');
    }
    const done = (result: ProbeResult) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(result);
    };
    // a listener that accepted but is too busy to answer still holds the name
    const timer = setTimeout(() => done('listening'), timeoutMs);
    sock.once('connect', () => done('listening'));
    sock.once('error', (err) => {
      const code = errnoCode(err);
      done(code === 'ECONNREFUSED' ? 'refused' : code === 'ENOENT' ? 'absent' : 'unknown');
    });
  });
}
