// Peer credentials as the kernel reports them: a connection from this process reads as our uid and pid, one
// from a process running as uid 65534 reads as 65534 (the test can tell the reader from a constant).
import { connect, createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type PeerResult, peerCredentials } from '../../../src/native/peer-credentials.js';
import { OTHER_UID, otherUidUnavailable, spawnAsOtherUid } from '../../helpers/other-uid.js';

function serverReading(name: string) {
  const seen: PeerResult[] = [];
  const server = createServer((socket: Socket) => {
    seen.push(peerCredentials(socket));
    socket.destroy();
  });
  return { seen, server, listening: new Promise<void>((resolve) => server.listen(name, resolve)) };
}

describe.skipIf(process.platform !== 'linux')('peerCredentials (abstract socket)', () => {
  it('names this process for its own connection, and uid 65534 for a connection from that user', async (t) => {
    const name = `\0fbuild-peercred-test-${process.pid}`;
    const { seen, server, listening } = serverReading(name);
    await listening;
    try {
      await new Promise<void>((resolve, reject) =>
        connect(name)
          .on('close', () => resolve())
          .on('error', reject),
      );
      expect(seen[0]).toEqual({ ok: true, peer: { uid: process.getuid!(), gid: process.getgid!(), pid: process.pid } });
      const why = otherUidUnavailable();
      if (why) return t.skip(why);
      const probe = `const s=require('net').connect(${JSON.stringify(name)});s.on('close',()=>console.log('closed'));s.on('error',(e)=>console.log(e.code))`;
      await spawnAsOtherUid(probe);
      const other = seen.at(-1)!;
      expect(other.ok && other.peer.uid).toBe(OTHER_UID);
      expect(other.ok && other.peer.pid).toBeGreaterThan(0);
    } finally {
      server.close();
    }
  });
});
