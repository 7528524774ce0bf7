#!/usr/bin/env bash
# Enforces DESIGN.md's layer table: library code in a directory includes only layers listed
# above it. Tests (*_test.cc) may use helpers from any layer (e.g. crypto randomness).
set -euo pipefail
root=${1:-.}
order=(base field crypto zk ml pot he vault)
fail=0
for ((i = 0; i < ${#order[@]}; i++)); do
  layer=${order[$i]}
  dir="$root/src/zektra/$layer"
  [[ -d "$dir" ]] || continue
  for ((j = i + 1; j < ${#order[@]}; j++)); do
    upper=${order[$j]}
    if grep -rn --include="*.h" --include="*.cc" --exclude="*_test.cc" "#include \"zektra/$upper/" "$dir" >/dev/null 2>&1; then
      grep -rn --exclude="*_test.cc" "#include \"zektra/$upper/" "$dir" >&2
      echo "layering: $layer must not include $upper" >&2
      fail=1
    fi
  done
done
((fail == 0)) && echo "layering: ok"
exit $fail
