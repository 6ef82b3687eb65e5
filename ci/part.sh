# Sourced by the ci/ scripts: `part NAME ok|red CMD…` runs one part of a gate (unless the script was asked
# for another part by name: `bash ci/gate.sh NAME`) and prints its pass/fail line with the time it took.
# ok: the part must exit 0; red: it must exit 1 (a part that proves the gate can fail). Sets rc=1 on a FAIL.
# A part that exits 77 could not run on this machine and said why: SKIP (it neither passes nor fails the gate).
# `parts` lists the part names of the script that sourced this (bash ci/gate.sh --list).
rc=0
only="${1:-}"
part() {
  local name="$1" want="$2"
  shift 2
  if [ "$only" = --list ]; then
    echo "$name"
    return 0
  fi
  [ -n "$only" ] && [ "$only" != "$name" ] && return 0
  echo "--- gate part $name: $*"
  local t0=$SECONDS
  "$@"
  local got=$?
  local verdict=PASS
  if [ "$want" = ok ] && [ "$got" -ne 0 ]; then verdict=FAIL; fi
  if [ "$want" = red ] && [ "$got" -ne 1 ]; then verdict=FAIL; fi
  if [ "$got" -eq 77 ]; then verdict=SKIP; fi
  [ "$verdict" = FAIL ] && rc=1
  echo "gate: $verdict $name (exit $got, wanted $([ "$want" = ok ] && echo 0 || echo 1)) in $((SECONDS - t0)) s"
}

# Ends the script: with a part name that no `part` line has, says so (exit 2); else exits with the verdict.
parts_done() {
  if [ -n "$only" ] && [ "$only" != --list ] && ! grep -qE "^part $only " "$0"; then
    echo "no part named '$only'; the parts are:" >&2
    grep -oE '^part [a-z0-9-]+' "$0" | sed 's/^part /  /' >&2
    exit 2
  fi
  exit $rc
}
