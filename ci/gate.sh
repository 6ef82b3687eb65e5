#!/usr/bin/env bash
# The rig's CI gate: the hardened daemon must hold its invariants under 20 concurrent clients, and the rig
# must still be able to see the pre-fix race (so a rig that sees nothing cannot pass), and every fault (stale
# and reused pids, leftover sockets, damaged state files) must hold against the strategies it names (a fault
# whose check finds a violation turns its run red: test/integration/harness/fault.test.ts). Each run leaves
# reports/<run-id>/{junit.xml,results.json,report.html}.
set -uo pipefail
cd "$(dirname "$0")/.."
rc=0
run() {
  echo "--- pnpm harness $*"
  node dist/harness/cli.js "$@" || rc=1
}
run reproduce --workers 20 --strategy hardened --expect single
run reproduce --workers 20 --strategy naive --expect race
run fault --fault all --rounds 2 --workers 10
exit $rc
