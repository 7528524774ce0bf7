#!/usr/bin/env bash
# `make demo`: the main job on the bundled breast-cancer data, as a user would run it.
# Commits the dataset, trains logistic regression in fixed point, and measures the model.
set -euo pipefail
cd "$(dirname "$0")/.."
Z=build/zektra
OUT=${DEMO_OUT:-out/demo}
DATA=examples/data/breast_cancer.csv
mkdir -p "$OUT"

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "1. Commit to the dataset (public fingerprint; the key stays with the owner)" \
  $Z dataset commit "$DATA" --label benign --out "$OUT/breast_cancer.commit"
step "2. Train logistic regression in fixed point (75/25 split, seed 0)" \
  $Z train "$DATA" --label benign --model logreg --out "$OUT/model.json"
step "3. Evaluate the model file on the data" \
  $Z evaluate "$OUT/model.json" "$DATA" --label benign
printf '\nFiles are in %s/\n' "$OUT"
