#!/usr/bin/env node
// The bench's cold-start measurement from two builds side by side: `node scripts/cold-ab.mjs A B [N] [PAIRS]`,
// where A and B are checkouts with a built dist/ (e.g. a `git worktree` of the commit before a change, and this
// one). Runs N clients (default 100) cold, warm and against echo from A, then from B, PAIRS times (default 3),
// and prints one line per run: all served (max) cold and warm, cold − warm, the CPU the N clients used (summed,
// each from its start until served) cold and warm, and the cold run's phases from the daemon's event log. Pairs
// alternate so that a change in the machine's load hits both builds alike.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const [a, b, n = '100', pairs = '3'] = process.argv.slice(2);
if (!a || !b) {
  process.stderr.write('usage: node scripts/cold-ab.mjs BUILD_A BUILD_B [CLIENTS] [PAIRS]\n');
  process.exit(2);
}
const clients = Number(n);
const round = (ms) => Math.round(ms);

async function once(root) {
  const { sampleColdStart } = await import(`${root}/dist/harness/bench/measure/cold-start.js`);
  const { BenchSandbox } = await import(`${root}/dist/harness/bench/sandbox.js`);
  const box = new BenchSandbox();
  try {
    const opts = { repeats: 1, clients: [clients], deadlineMs: 30_000 };
    const [repeat] = (await sampleColdStart(box, opts, () => {}))[0].repeats;
    const { cold, warm } = repeat;
    const phases = Object.fromEntries(Object.entries(cold.phases ?? {}).map(([k, v]) => [k, round(v)]));
    return {
      cold: round(cold.servedMax),
      warm: round(warm.servedMax),
      cpu: `${(cold.clientCpuMs / 1000).toFixed(2)} / ${(warm.clientCpuMs / 1000).toFixed(2)} s`,
      spawns: cold.spawnCount,
      phases,
    };
  } finally {
    await box.cleanup();
  }
}

for (let i = 0; i < Number(pairs); i++)
  for (const root of [resolve(a), resolve(b)]) {
    const r = await once(root);
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    process.stdout.write(
      `${root}: cold ${r.cold} ms, warm ${r.warm} ms, cold − warm ${r.cold - r.warm} ms, clients' CPU cold / warm ${r.cpu}, ${r.spawns} spawn, phases ${JSON.stringify(r.phases)}, load ${load}\n`,
    );
  }
