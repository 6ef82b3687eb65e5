import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clientProof,
  daemonProof,
  identityBinding,
  newNonce,
  PROTOCOL_VERSION,
  verifyClientProof,
  verifyDaemonProof,
} from '../../../../../src/daemon/shared/protocol/handshake.js';
import { type DaemonIdentity, parseAuth, parseChallenge } from '../../../../../src/daemon/shared/protocol/messages.js';

const secret32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((a) => Buffer.from(a));
const nonce = fc.stringMatching(/^[0-9a-f]{64}$/);

describe('handshake', () => {
  it('nonces are 32 random bytes in hex and do not repeat', () => {
    const seen = new Set(Array.from({ length: 1000 }, newNonce));
    expect(seen.size).toBe(1000);
    for (const n of seen) expect(n).toMatch(/^[0-9a-f]{64}$/);
    expect(PROTOCOL_VERSION).toBe(1);
  });

  it('proofs verify with the right secret and nonces, and fit the wire format', () => {
    fc.assert(
      fc.property(secret32, nonce, nonce, (secret, cn, dn) => {
        const dp = daemonProof(secret, cn, dn);
        const cp = clientProof(secret, cn, dn);
        expect(verifyDaemonProof(secret, cn, dn, dp)).toBe(true);
        expect(verifyClientProof(secret, cn, dn, cp)).toBe(true);
        expect(parseAuth({ t: 'auth', proof: cp }).ok).toBe(true);
        // the secret never appears in what goes on the wire
        expect(dp + cp).not.toContain(secret.toString('hex'));
      }),
    );
  });

  it('fail with a wrong secret or swapped/other nonces', () => {
    fc.assert(
      fc.property(secret32, secret32, nonce, nonce, (a, b, cn, dn) => {
        fc.pre(!a.equals(b) && cn !== dn);
        expect(verifyDaemonProof(b, cn, dn, daemonProof(a, cn, dn))).toBe(false);
        expect(verifyClientProof(b, cn, dn, clientProof(a, cn, dn))).toBe(false);
        expect(verifyDaemonProof(a, dn, cn, daemonProof(a, cn, dn))).toBe(false);
        expect(verifyClientProof(a, cn, newNonce(), clientProof(a, cn, dn))).toBe(false);
      }),
    );
  });

  it('a proof made by one role is never accepted for the other (no reflection)', () => {
    fc.assert(
      fc.property(secret32, nonce, nonce, (secret, cn, dn) => {
        expect(verifyClientProof(secret, cn, dn, daemonProof(secret, cn, dn))).toBe(false);
        expect(verifyDaemonProof(secret, cn, dn, clientProof(secret, cn, dn))).toBe(false);
        // an impostor that echoes the client's nonce as its own still cannot turn one proof into the other
        expect(verifyClientProof(secret, cn, cn, daemonProof(secret, cn, cn))).toBe(false);
      }),
    );
  });

  it('rejects malformed proofs without throwing', () => {
    const s = randomBytes(32);
    const cn = newNonce();
    const dn = newNonce();
    const good = daemonProof(s, cn, dn);
    for (const bad of ['', 'zz', good.slice(2), good + '00', good.toUpperCase(), 42 as unknown as string]) {
      expect(verifyDaemonProof(s, cn, dn, bad)).toBe(false);
    }
  });

  it('binding the identity makes a tampered identity fail the proof', () => {
    const s = randomBytes(32);
    const cn = newNonce();
    const dn = newNonce();
    const identity: DaemonIdentity = {
      pid: 4242,
      startTime: '123',
      nonce: 'n1',
      version: '0.1.0',
      protocol: 1,
      endpoint: '@fbuild-x',
    };
    const proof = daemonProof(s, cn, dn, identityBinding(identity));
    const challenge = parseChallenge({ t: 'challenge', daemonNonce: dn, proof, identity });
    expect(challenge.ok).toBe(true);
    if (!challenge.ok) return;
    expect(verifyDaemonProof(s, cn, dn, proof, identityBinding(challenge.value.identity))).toBe(true);
    const tampered = { ...identity, pid: 1 };
    expect(verifyDaemonProof(s, cn, dn, proof, identityBinding(tampered))).toBe(false);
  });
});
