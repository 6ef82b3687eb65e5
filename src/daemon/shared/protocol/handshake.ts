// Mutual challenge-response (DESIGN §3). Both sides know a 32-byte secret from the 0600 file in the 0700 state
// directory; neither ever sends it. The client challenges with its nonce, the daemon answers with its own
// nonce and a proof over both; only after checking that proof does the client send its own proof. So a client
// never proves anything to (or leaks anything useful to) an impostor squatting on the endpoint name.
//
// Each proof is an HMAC over a role label plus both nonces. The labels differ, so a proof made by one role is
// never valid for the other: an impostor cannot reflect the client's own proof back as a daemon proof, nor
// replay a daemon proof as a client proof. Fresh nonces on both sides make every proof single-use.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { hexNonces } from '../../../nonces.js';
import { encodeFrame } from './frames.js';
import type { DaemonIdentity, HelloMsg } from './messages.js';

export const PROTOCOL_VERSION = 1;

const DAEMON_LABEL = 'fbuild-daemon-proof-v1';
const CLIENT_LABEL = 'fbuild-client-proof-v1';
const HEX32 = /^[0-9a-f]{64}$/;

/** The client's first frame: its protocol version and its challenge to the daemon. */
export function helloFrame(clientNonce: string, protocol: number = PROTOCOL_VERSION): string {
  const hello: HelloMsg = { t: 'hello', protocol, clientNonce };
  return encodeFrame(hello);
}

/** 32 random bytes as 64 lower-case hex digits (from the batched pool: src/nonces.ts), never handed out twice. */
export const newNonce: () => string = hexNonces(32, 128);

/**
 * `bind` (optional, default '') is extra transcript both sides must agree on — pass `identityBinding(identity)`
 * so that a relaying impostor cannot alter the identity (e.g. the pid a client may later signal) without
 * breaking the proof. Both sides must pass the same value.
 */
export function daemonProof(secret: Buffer, clientNonce: string, daemonNonce: string, bind = ''): string {
  return proof(secret, DAEMON_LABEL, clientNonce, daemonNonce, bind);
}

export function clientProof(secret: Buffer, clientNonce: string, daemonNonce: string, bind = ''): string {
  return proof(secret, CLIENT_LABEL, clientNonce, daemonNonce, bind);
}

export function verifyDaemonProof(
  secret: Buffer,
  clientNonce: string,
  daemonNonce: string,
  received: string,
  bind = '',
): boolean {
  return same(daemonProof(secret, clientNonce, daemonNonce, bind), received);
}

export function verifyClientProof(
  secret: Buffer,
  clientNonce: string,
  daemonNonce: string,
  received: string,
  bind = '',
): boolean {
  return same(clientProof(secret, clientNonce, daemonNonce, bind), received);
}

/** A canonical string of the identity fields, in a fixed order, for `bind`. Extra fields are not covered. */
export function identityBinding(id: DaemonIdentity): string {
  return JSON.stringify([id.pid, id.startTime, id.nonce, id.version, id.protocol, id.endpoint]);
}

// NUL separators cannot occur in the label or in hex nonces, so (label, nonces, bind) map to the HMAC input
// one-to-one; `bind` comes last, so it needs no escaping.
function proof(secret: Buffer, label: string, clientNonce: string, daemonNonce: string, bind: string): string {
  return createHmac('sha256', secret).update(`${label}\0${clientNonce}\0${daemonNonce}\0${bind}`, 'utf8').digest('hex');
}

// timingSafeEqual needs equal lengths; the format check first keeps a malformed proof from throwing and
// leaks only that it was malformed, which the sender already knows.
function same(expected: string, received: string): boolean {
  if (typeof received !== 'string' || !HEX32.test(received)) return false;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(received, 'hex'));
}
