// pnpm build: compile TypeScript to dist/ (library, daemon, rig), then bundle the two entry points people
// and clients start most — the fbuild CLI and the daemon — into dist/bin/. A bundle loads a handful of
// files instead of ~40 ES modules, which is most of what `fbuild daemon status` and a daemon cold start
// cost beyond starting Node (measured by `pnpm harness bench`). Dependencies stay external (node_modules).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});

const { build } = await import('rolldown');
const out = join(root, 'dist', 'bin');
rmSync(out, { recursive: true, force: true });

// The daemon and the CLI are bundled apart: bundled together, every module both use became a chunk of its
// own (14 files for `fbuild daemon status`), and grouping them for one would make the other load the group.
const bundle = (input, codeSplitting, checks, format = 'esm') => {
  const ext = format === 'cjs' ? 'cjs' : 'mjs';
  return build({
    input,
    ...(checks ? { checks } : {}),
    platform: 'node',
    // packages load from node_modules at run time (proper-lockfile lazily, only when that strategy is chosen;
    // serialport, a native binding, only on the first serial request)
    external: [/^node:/, 'proper-lockfile', 'serialport'],
    logLevel: 'warn',
    output: {
      dir: out,
      format,
      entryFileNames: `[name].${ext}`,
      chunkFileNames: `chunk-[hash].${ext}`,
      sourcemap: false,
      ...(codeSplitting ? { codeSplitting } : {}),
    },
  });
};

// The daemon is bundled as CommonJS too (dist/bin/daemon.cjs): it starts on the path every client of a cold
// start waits on, and an ES-module entry cost it the ES module loader and a module facade per builtin (loading
// `node:fs` that way loads its streams): spawned alone, it answered its first handshake in 144 ms against
// 155 ms as daemon.mjs (median of 15 interleaved pairs, 2026-12-07). Doctor and the rig recognise a running
// fbuild daemon by its entry's file name: daemon.cjs, and daemon.mjs of builds before it (signature.ts).
await bundle({ daemon: join(root, 'dist/src/daemon/server/main.js') }, undefined, undefined, 'cjs');
// The client alone (src/client.ts, the package's "./client" export): for tools whose client runs per file.
// probe.js loads diagnose.js lazily for the CLI's sake; in this one-file bundle it is simply included.
await bundle({ client: join(root, 'dist/src/client.js') }, undefined, { ineffectiveDynamicImport: false });
// The CLI's entry keeps commander out of the hot commands' path (src/cli/hot.ts); main.js is a lazy chunk.
// The CLI is bundled as CommonJS (dist/bin/fbuild.cjs): an ES-module entry starts Node's ES module loader, which
// `daemon status` paid for on every run — ~9 % of `node -e 0` for an empty .mjs against an empty .cjs, and the same
// status process ran 0.91× as long as a CommonJS bundle as an ES-module one (A/B, 30 pairs).
// `fbuild daemon …` loads commands/daemon.js and everything it imports statically as ONE chunk (group below,
// dependencies included): scripts and editors run `daemon status` in loops, and each further file cost a
// resolve, a read and a link on top of compiling it. Modules main.js shares with it come from that chunk.
await bundle(
  { fbuild: join(root, 'dist/src/cli/fbuild.js') },
  {
    groups: [
      { name: 'daemon-commands', test: /[\\/]dist[\\/]src[\\/]cli[\\/]commands[\\/]daemon\.js$/ },
      // what the entry and main.js share with it (tiny): `--version` need not load the daemon commands' chunk
      { name: 'cli-shared', test: /[\\/]dist[\\/]src[\\/](version|cli[\\/]epipe)\.js$/, priority: 1 },
    ],
  },
  undefined,
  'cjs',
);
