#!/usr/bin/env bash
# The rig's CI gate, part by part, each with a pass/fail line and its time; every part leaves
# reports/<run-id>/{junit.xml,results.json,report.html}.
#   reproduce-hardened  20 concurrent clients on a clean state dir: exactly one daemon (I1–I7)
#   reproduce-naive     the pre-fix strategy must still show the race (a rig that sees nothing cannot pass)
#   fault-matrix        every fault, once, against every strategy it names and, against hardened, under each
#                       ownership mechanism (socket file, abstract socket); faults needing root say SKIP
#   stress-short        a short stress run: a random mix of operations with random faults
#   serial-hardened     5 monitors and 3 deploys against one pty device through one daemon: I8 (deploys
#                       serialised, monitors fan out and resume, each deploy acknowledged exactly once, one holder)
#   serial-naive        the same load through naive duplicate daemons must show I8 broken (needs socat)
#   broken-build        with the test-only switch that breaks the singleton (FBUILD_TEST_HOOKS=skip-claim),
#                       reproduce must FAIL: proof that the gate can go red. Its reports go to
#                       reports/expected-red/, which the CI summary line does not count (those failures are wanted)
#   bench-quick         `harness bench --quick`: every DESIGN §8 figure and growth curve, each same-run ratio compared
#                       with bench/baseline.json; fails only on a ratio more than 2× worse (measured twice), naming it
#   bench-slowdown      with the test-only slowdown (FBUILD_TEST_HOOKS=slow-lock=1000: every owner-record lock attempt
#                       spins 1 ms) the bench must FAIL on lock.vsFloor: proof that the performance gate can go red
# Run one part alone: bash ci/gate.sh stress-short
set -uo pipefail
cd "$(dirname "$0")/.."
rc=0
only="${1:-}"
part() {
  local name="$1" want="$2"
  shift 2
  [ -n "$only" ] && [ "$only" != "$name" ] && return 0
  echo "--- gate part $name: $*"
  local t0=$SECONDS
  "$@"
  local got=$?
  local verdict=PASS
  if [ "$want" = ok ] && [ "$got" -ne 0 ]; then verdict=FAIL; fi
  if [ "$want" = red ] && [ "$got" -ne 1 ]; then verdict=FAIL; fi
  [ "$verdict" = FAIL ] && rc=1
  echo "gate: $verdict $name (exit $got, wanted $([ "$want" = ok ] && echo 0 || echo 1)) in $((SECONDS - t0)) s"
}
harness() { node dist/harness/cli.js "$@"; }
broken() { FBUILD_TEST_HOOKS=skip-claim node dist/harness/cli.js "$@"; }
slowed() { FBUILD_TEST_HOOKS=slow-lock=1000 node dist/harness/cli.js "$@"; }
part reproduce-hardened ok harness reproduce --workers 20 --strategy hardened --expect single
part reproduce-naive ok harness reproduce --workers 20 --strategy naive --expect race
part fault-matrix ok harness fault --fault all --rounds 1 --workers 8
part stress-short ok harness stress --workers 20 --rounds 20 --faults random
part serial-hardened ok harness serial --strategy hardened --rounds 2 --monitors 5 --deploys 3
part serial-naive ok harness serial --strategy naive --rounds 1 --monitors 5 --deploys 3
part broken-build red broken reproduce --workers 10 --rounds 2 --strategy hardened --expect single --out reports/expected-red
part bench-quick ok harness bench --quick
part bench-slowdown red slowed bench --quick --only lock --out reports/expected-red/bench-slowdown
exit $rc
