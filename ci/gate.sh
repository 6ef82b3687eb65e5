#!/usr/bin/env bash
# The CI gate, part by part, each with a pass/fail line and its time (ci/part.sh); every part leaves JUnit
# under reports/ (the rig's parts: reports/<run-id>/{junit.xml,results.json,report.html}).
#   typecheck-lint      tsc, Biome, dependency-cruiser (layering), knip (unused code), parameter names, the
#                       workflow linter
#   tests               `pnpm test` (builds, then every vitest file) with JUnit in reports/junit/vitest.xml
#   rig-tests           `pnpm test:rig`: the rig's long end-to-end tests (the whole quick bench and its gate, npm
#                       targets from the registry), JUnit in reports/junit/rig.xml
#   reproduce-hardened  20 concurrent clients on a clean state dir: exactly one daemon (I1–I7)
#   reproduce-naive     the pre-fix strategy must still show the race (a rig that sees nothing cannot pass)
#   fault-matrix        every fault, once, against every strategy it names and, against hardened, under each
#                       ownership mechanism (socket file, abstract socket); faults needing root or socat say SKIP
#   stress-short        a short stress run: a random mix of operations with random faults
#   serial-hardened     5 monitors and 3 deploys against one pty device through one daemon: I8 (deploys
#                       serialised, monitors fan out and resume, each deploy acknowledged exactly once, one holder)
#   serial-naive        the same load through naive duplicate daemons must show I8 broken (needs socat)
#   broken-build        with the test-only switch that breaks the singleton (FBUILD_TEST_HOOKS=skip-claim),
#                       reproduce must FAIL: proof that the gate can go red. Its reports go to
#                       reports/expected-red/, which the CI summary line does not count (those failures are wanted)
#   fbuild-py-race      the released fbuild 1.3.27 (../shared/third_party, run with a Python that has its modules:
#                       ci/system-packages.sh), 20 concurrent ensure_daemon_running() per round: must go red with
#                       duplicates in every round (reports/expected-red/fbuild-py); not installed is a FAIL (exit 2),
#                       but on GitHub's runners, whose checkout has no ../shared, it says SKIP with the reason
#   bench-quick         `harness bench --quick`: every DESIGN §8 figure and growth curve, each same-run ratio compared
#                       with bench/baseline.json; fails only on a ratio more than 2× worse (measured twice), naming it
#   bench-slowdown      with the test-only slowdown (FBUILD_TEST_HOOKS=slow-lock=x10: every owner-record lock attempt
#                       costs 10× what it took) the bench must FAIL on lock.vsFloor: proof that the performance gate can go red
# The rig's parts run the compiled rig: build first (`pnpm build`, or the tests part) when running one alone.
# Node 24 and Windows (Wine) run the same way: ci/node24.sh, ci/wine.sh.
# Run one part alone: bash ci/gate.sh stress-short   (bash ci/gate.sh --list names them)
set -uo pipefail
cd "$(dirname "$0")/.."
source ci/part.sh
typecheck_lint() { pnpm --silent typecheck && pnpm --silent lint && pnpm --silent lint:workflows; }
tests() {
  rm -rf reports/junit && mkdir -p reports/junit
  FBUILD_JUNIT=reports/junit/vitest.xml pnpm --silent test 2>&1 | tee reports/junit/vitest.log
  return "${PIPESTATUS[0]}"
}
rig_tests() {
  mkdir -p reports/junit
  FBUILD_JUNIT=reports/junit/rig.xml pnpm --silent test:rig 2>&1 | tee reports/junit/rig.log
  return "${PIPESTATUS[0]}"
}
harness() { node dist/harness/cli.js "$@"; }
broken() { FBUILD_TEST_HOOKS=skip-claim node dist/harness/cli.js "$@"; }
slowed() { FBUILD_TEST_HOOKS=slow-lock=x10 node dist/harness/cli.js "$@"; }
# red (exit 1) only when the race showed in every round: 0 (no finding), 2 (not installed) or a round without
# duplicates each fail the part; on GitHub's runners (no ../shared/third_party there) not installed is SKIP (77)
fbuild_py_race() {
  local out=reports/expected-red/fbuild-py
  mkdir -p "$out"
  harness reproduce --target fbuild-py --workers 20 --rounds 2 --expect single --out "$out" --json >"$out/summary.json"
  local got=$?
  if [ "$got" -eq 2 ] && [ "${GITHUB_ACTIONS:-}" = true ]; then
    echo "SKIP fbuild-py-race: the released fbuild is not beside this checkout (the message above says what is missing)"
    return 77
  fi
  [ "$got" -eq 1 ] || return "$got"
  node -e 'const s = require(process.argv[1]).summary;
    console.log(`fbuild-py: duplicates in ${s.roundsWithDuplicates} of ${s.roundsOk + s.roundsFailed} rounds`);
    process.exit(s.roundsWithDuplicates === s.roundsOk + s.roundsFailed ? 1 : 3);' "$PWD/$out/summary.json"
}
part typecheck-lint ok typecheck_lint
part tests ok tests
part rig-tests ok rig_tests
part reproduce-hardened ok harness reproduce --workers 20 --strategy hardened --expect single
part reproduce-naive ok harness reproduce --workers 20 --strategy naive --expect race
part fault-matrix ok harness fault --fault all --rounds 1 --workers 8
part stress-short ok harness stress --workers 20 --rounds 20 --faults random
part serial-hardened ok harness serial --strategy hardened --rounds 2 --monitors 5 --deploys 3
part serial-naive ok harness serial --strategy naive --rounds 1 --monitors 5 --deploys 3
part broken-build red broken reproduce --workers 10 --rounds 2 --strategy hardened --expect single --out reports/expected-red
part fbuild-py-race red fbuild_py_race
part bench-quick ok harness bench --quick
part bench-slowdown red slowed bench --quick --only lock --out reports/expected-red/bench-slowdown
parts_done
