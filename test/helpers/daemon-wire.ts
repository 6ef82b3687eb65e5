// A raw peer for protocol tests: speaks (or mangles) NDJSON on a real socket and records every frame it gets.

import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { encodeFrame, FrameDecoder } from '../../src/daemon/shared/protocol/frames.js';
import { daemonProof, identityBinding, newNonce } from '../../src/daemon/shared/protocol/handshake.js';

export interface RawPeer {
  socket: Socket;
  frames: any[];
  /** raw bytes that were not a parseable line */
  garbage: number;
  closed: Promise<void>;
  isClosed(): boolean;
  send(value: object | string | Buffer): void;
  /** the next frame matching `pred` (already received or future); rejects on close or timeout */
  next(pred?: (f: any) => boolean, timeoutMs?: number): Promise<any>;
}

export const hex32 = () => randomBytes(32).toString('hex');

export function rawPeer(path: string): Promise<RawPeer> {
  // biome-ignore lint/nursery/noMisusedPromises: a false positive of this nursery rule: the executor returns nothing
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    const frames: any[] = [];
    const waiters = new Set<() => void>();
    let buf = '';
    let closedFlag = false;
    const peer: RawPeer = {
      socket,
      frames,
      garbage: 0,
      closed: new Promise((r) =>
        socket.once('close', () => {
          closedFlag = true;
          for (const w of waiters) w();
          r();
        }),
      ),
      isClosed: () => closedFlag,
      send(value) {
        if (socket.destroyed || !socket.writable) return;
        socket.write(Buffer.isBuffer(value) || typeof value === 'string' ? value : JSON.stringify(value) + '\n');
      },
      next(pred = () => true, timeoutMs = 5_000) {
        return new Promise((res, rej) => {
          let seen = 0;
          const check = () => {
            for (; seen < frames.length; seen++) {
              if (pred(frames[seen])) {
                done();
                return res(frames[seen]);
              }
            }
            if (closedFlag) {
              done();
              rej(new Error(`connection closed; frames: ${JSON.stringify(frames).slice(0, 500)}`));
            }
          };
          const timer = setTimeout(() => {
            done();
            rej(new Error(`no matching frame in ${timeoutMs} ms; frames: ${JSON.stringify(frames).slice(0, 500)}`));
          }, timeoutMs);
          const done = () => {
            clearTimeout(timer);
            waiters.delete(check);
          };
          waiters.add(check);
          check();
        });
      },
    };
    socket.on('data', (d) => {
      buf += d.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        try {
          frames.push(JSON.parse(line));
        } catch {
          peer.garbage++;
        }
      }
      for (const w of [...waiters]) w();
    });
    socket.on('error', () => {});
    socket.once('connect', () => resolve(peer));
    socket.once('error', reject);
  });
}

/**
 * A process-local stand-in that knows the secret and answers every hello with a valid proof for `identity`
 * (a second "daemon", or one in its last moment). `onRequest: 'close'` drops the connection on the first request;
 * `timeOutFirst: n` answers the first n hellos as a daemon whose handshake timer fired first (IDLE_TIMEOUT, closed).
 */
export function provingServer(
  path: string,
  secret: Buffer,
  identity: Record<string, unknown>,
  opts: { onRequest?: 'ignore' | 'close'; timeOutFirst?: number } = {},
): Promise<{ server: Server; hellos: () => number }> {
  let hellos = 0;
  const server = createServer((socket) => {
    const decoder = new FrameDecoder(64 * 1024);
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      for (const f of decoder.push(chunk)) {
        const msg = f.ok ? (f.value as { t?: string; clientNonce?: string }) : null;
        if (msg?.t === 'hello' && typeof msg.clientNonce === 'string') {
          if (++hellos <= (opts.timeOutFirst ?? 0)) {
            const error = {
              code: 'IDLE_TIMEOUT',
              message: 'connection closed: handshake not completed within 5000 ms',
            };
            socket.end(encodeFrame({ t: 'error', error }));
            continue;
          }
          const daemonNonce = newNonce();
          socket.write(
            encodeFrame({
              t: 'challenge',
              daemonNonce,
              proof: daemonProof(secret, msg.clientNonce, daemonNonce, identityBinding(identity as never)),
              identity,
            }),
          );
        } else if (msg?.t === 'req' && opts.onRequest === 'close') socket.destroy();
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve({ server, hellos: () => hellos }));
  });
}
