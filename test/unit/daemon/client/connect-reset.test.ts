// A peer that drops the connection in the middle of the handshake — before a word, or halfway through its
// challenge — gives the client a coded error, never an unhandled 'error' event. (Coverage: the client already behaved so before
// issue 18; the daemon side of the same reset is test/integration/daemon/refused-peers.test.ts.)
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nowMs } from '../../../../src/clock.js';
import { connectDaemon } from '../../../../src/daemon/client/connect.js';
import { tempDirs } from '../../../helpers/tmp.js';

const newDir = tempDirs('fbuild-connect-reset-');

async function against(peer: (socket: Socket) => void) {
  const dir = newDir();
  const path = join(dir, 'd.sock');
  const server = createServer((socket) => {
    socket.on('error', () => {});
    peer(socket);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  try {
    return await connectDaemon({
      endpoint: { kind: 'sockfile', path, display: path },
      secretPath: join(dir, 'secret'),
      protocol: 1,
      deadline: nowMs() + 10_000,
    }).then(
      () => null,
      (err: unknown) => err,
    );
  } finally {
    server.close();
  }
}

describe('connectDaemon against a peer that resets mid-handshake', () => {
  it('closed before a word, right after our hello: CONNECTION_CLOSED', async () => {
    const err = await against((socket) => socket.once('data', () => socket.destroy()));
    expect(err).toMatchObject({ code: 'CONNECTION_CLOSED' });
  });

  it('reset after half a challenge frame: CONNECTION_CLOSED', async () => {
    const err = await against((socket) =>
      socket.once('data', () => socket.end('{"t":"challenge","daemonNonce":"', () => socket.destroy())),
    );
    expect(err).toMatchObject({ code: 'CONNECTION_CLOSED' });
  });
});
