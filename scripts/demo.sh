#!/usr/bin/env bash
# `make demo`: the main job on the bundled breast-cancer data, as a user would run it.
# Commits the dataset, trains logistic regression in fixed point with a zero-knowledge proof
# of training, verifies the proof against the model and the commitment, and measures the model.
set -euo pipefail
cd "$(dirname "$0")/.."
Z=build/zektra
OUT=${DEMO_OUT:-out/demo}
DATA=examples/data/breast_cancer.csv
mkdir -p "$OUT"

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "1. Commit to the dataset (public fingerprint; the key stays with the owner)" \
  $Z dataset commit "$DATA" --label benign --out "$OUT/breast_cancer.commit"
step "2. Train logistic regression with a proof of training (10 epochs, batch 32)" \
  $Z train "$DATA" --label benign --model logreg --epochs 10 --batch 32 \
  --out "$OUT/model.json" --prove "$OUT/run.zkp" --commitment "$OUT/breast_cancer.commit"
step "3. Verify the proof: anyone can, with the model file and the public commitment only" \
  $Z verify "$OUT/run.zkp" --model "$OUT/model.json" --commitment "$OUT/breast_cancer.commit"
step "4. Evaluate the model file on the data" \
  $Z evaluate "$OUT/model.json" "$DATA" --label benign
printf '\nFiles are in %s/ (the .key file is the only secret).\n' "$OUT"
