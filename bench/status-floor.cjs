#!/usr/bin/env node
// The floor of `fbuild daemon status` for the bench (harness/bench/measure/status-process.ts): the least a Node
// client of this protocol does in one process — read the state directory's secret, connect, check the daemon's
// proof and send its own (HMAC-SHA256 over the same transcript), ask for status, print the answer — written by
// hand in plain CommonJS, without the kit's library. It checks nothing else the product checks (file safety,
// frame limits, deadlines, busy retries): it is a yardstick, not a client.
// `node bench/status-floor.cjs <endpoint path> <secret file> <protocol>`; exits 0 once the daemon answered the request.
'use strict';
const { connect } = require('node:net');
const { createHmac, randomBytes, timingSafeEqual } = require('node:crypto');
const { readFileSync } = require('node:fs');

const [endpoint, secretPath, protocol] = process.argv.slice(2);
const secret = Buffer.from(readFileSync(secretPath, 'latin1').slice(0, 64), 'hex');
const clientNonce = randomBytes(32).toString('hex');
const proof = (label, daemonNonce, bind) =>
  createHmac('sha256', secret).update(`${label}\0${clientNonce}\0${daemonNonce}\0${bind}`, 'utf8').digest('hex');

const socket = connect(endpoint);
let pending = '';
socket.setEncoding('utf8');
socket.on('connect', () =>
  socket.write(`${JSON.stringify({ t: 'hello', protocol: Number(protocol), clientNonce })}\n`),
);
socket.on('data', (chunk) => {
  pending += chunk;
  for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
    const msg = JSON.parse(pending.slice(0, nl));
    pending = pending.slice(nl + 1);
    if (msg.t === 'challenge') {
      const id = msg.identity;
      const bind = JSON.stringify([id.pid, id.startTime, id.nonce, id.version, id.protocol, id.endpoint]);
      const expected = Buffer.from(proof('fbuild-daemon-proof-v1', msg.daemonNonce, bind), 'hex');
      const got = Buffer.from(typeof msg.proof === 'string' ? msg.proof : '', 'hex');
      if (got.length !== expected.length || !timingSafeEqual(expected, got)) {
        process.stderr.write('the daemon did not prove the secret\n');
        process.exit(1);
      }
      socket.write(`${JSON.stringify({ t: 'auth', proof: proof('fbuild-client-proof-v1', msg.daemonNonce, bind) })}\n`);
      socket.write(`${JSON.stringify({ t: 'req', id: '1', type: 'status', params: {} })}\n`);
    } else if (msg.t === 'res' && msg.ok) {
      process.stdout.write(`${JSON.stringify(msg.result)}\n`);
      socket.destroy();
    } else if (msg.t !== 'welcome') {
      process.stderr.write(`unexpected ${JSON.stringify(msg)}\n`);
      process.exit(1);
    }
  }
});
socket.on('error', (err) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
