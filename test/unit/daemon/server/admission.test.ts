// Admission at accept: which endpoints other users can reach at all, and the peer gate that closes a connection
// from another user (neither the daemon's nor root) before it can take a pending-handshake slot. The gate is
// judged on real connections: one from this process, one from a process running as uid 65534.
import { connect, createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { endpointOpenToOthers, peerGate } from '../../../../src/daemon/server/admission.js';
import { type EndpointKind, endpointFor } from '../../../../src/daemon/shared/endpoint.js';
import { OTHER_UID, otherUidUnavailable, spawnAsOtherUid } from '../../../helpers/other-uid.js';

const stateDir = '/home/someone/.fbuild/kit/daemon';
const config = (kind: EndpointKind, path?: string) => {
  const endpoint = endpointFor(stateDir, kind);
  return { stateDir, endpoint: path === undefined ? endpoint : { ...endpoint, path } };
};

describe('endpointOpenToOthers', () => {
  it('abstract names and socket files outside the state directory are open to others; d.sock inside is not', () => {
    expect(endpointOpenToOthers(config('abstract'))).toBe(true);
    expect(endpointOpenToOthers(config('sockfile'))).toBe(false);
    expect(endpointOpenToOthers(config('sockfile', '/tmp/fbuild-0123456789abcdef01234567.sock'))).toBe(true);
    expect(endpointOpenToOthers(config('pipe'))).toBe(false);
  });
});

describe.skipIf(process.platform !== 'linux')('peerGate (abstract socket)', () => {
  it('lets this user through and refuses uid 65534, naming both uids', async (t) => {
    const name = `\0fbuild-admission-test-${process.pid}`;
    const gate = peerGate(
      { stateDir, endpoint: { kind: 'abstract', path: name, display: `@${name.slice(1)}` } },
      () => {},
    );
    const verdicts: Array<string | null> = [];
    const server = createServer((socket: Socket) => {
      verdicts.push(gate(socket));
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(name, resolve));
    try {
      await new Promise<void>((resolve, reject) =>
        connect(name)
          .on('close', () => resolve())
          .on('error', reject),
      );
      expect(verdicts).toEqual([null]);
      const why = otherUidUnavailable();
      if (why) return t.skip(why);
      const probe = `const s=require('net').connect(${JSON.stringify(name)});s.on('close',()=>{});s.on('error',()=>{})`;
      await spawnAsOtherUid(probe);
      expect(verdicts[1]).toMatch(
        new RegExp(`uid ${OTHER_UID} are refused: this daemon belongs to uid ${process.geteuid!()}`),
      );
    } finally {
      server.close();
    }
  });
});
