#!/usr/bin/env bash
# Ablation on SYNTHETIC data: FDSL pretraining with `--input-intensity raw` (AVS-DB's 0/128 outlines as stored) vs
# `unit` (each volume scaled to 0..1, the range downstream CT windows give), each fine-tuned (whole network) on the
# abdominal phantom benchmark, over SEEDS seeds; prints the test mean Dice per run and mean ± sd per rule.
# An illustration, not a claim: a tiny network, a phantom and a few seeds.
# Usage: deploy/intensity-ablation.sh [WORKDIR]
# Env: MEDSEG (the command), SEEDS ("1 2 3"), DEVICE (auto), THREADS (1: no OpenMP oversubscription on a busy box),
#      sizes for a quick look: COUNT (AVS-DB volumes, 100), SIZE (their edge, 32), PRE_STEPS (800), FT_STEPS (1000),
#      CASES (phantom cases, 12), PATCH (32).
set -euo pipefail
WORK=${1:-./intensity-ablation}
MEDSEG=${MEDSEG:-"dotnet run --project src/MedSeg.Cli -c Release --"}
SEEDS=${SEEDS:-"1 2 3"}
DEVICE=${DEVICE:-auto}
THREADS=${THREADS:-1}
COUNT=${COUNT:-100}
SIZE=${SIZE:-32}
PRE_STEPS=${PRE_STEPS:-800}
FT_STEPS=${FT_STEPS:-1000}
CASES=${CASES:-12}
PATCH=${PATCH:-32}
NET=(--model BasicUNet --model-arg "features=(8, 8, 16, 32, 64, 8)")
mkdir -p "$WORK"

# Data once (seed 1): the rules and the training seeds vary, the data do not.
[ -f "$WORK/avsdb/dataset.json" ] || $MEDSEG generate avsdb --out "$WORK/avsdb" --count "$COUNT" --size "$SIZE" --seed 1
[ -f "$WORK/phantom-raw/dataset.json" ] || $MEDSEG generate phantom --out "$WORK/phantom-raw" --count "$CASES" --size 64,64,24 --seed 1
[ -f "$WORK/phantom/split.json" ] || $MEDSEG import msd "$WORK/phantom-raw" --out "$WORK/phantom" --val 0.17 --test 0.17 --seed 1

for seed in $SEEDS; do
  for rule in raw unit; do
    pre="$WORK/pre-$rule-s$seed"; ft="$WORK/ft-$rule-s$seed"
    [ -f "$pre/status.json" ] && grep -q '"Completed"' "$pre/status.json" || \
      $MEDSEG train fdsl --out "$pre" --dataset "$WORK/avsdb" "${NET[@]}" --crop "$PATCH" --batch 4 --steps "$PRE_STEPS" \
        --samples "$COUNT" --lr 1e-3 --val-every 0 --checkpoint-every "$PRE_STEPS" --input-intensity "$rule" \
        --seed "$seed" --device "$DEVICE" --threads "$THREADS"
    [ -f "$ft/evaluation.json" ] || \
      $MEDSEG finetune --out "$ft" --init "run:$pre" --dataset "$WORK/phantom" "${NET[@]}" --patch "$PATCH" \
        --steps "$FT_STEPS" --batch 2 --lr 1e-3 --val-every $((FT_STEPS / 4 > 0 ? FT_STEPS / 4 : 1)) \
        --seed "$seed" --device "$DEVICE" --threads "$THREADS"
  done
done

runs=()
for seed in $SEEDS; do for rule in raw unit; do runs+=("$WORK/ft-$rule-s$seed"); done; done
$MEDSEG compare "${runs[@]}"

echo
echo "test mean Dice by input intensity (over seeds: $SEEDS)"
for rule in raw unit; do
  for seed in $SEEDS; do
    # the run's mean (2-space indent; the per-case means sit deeper)
    sed -n 's/^  "meanDice": *"\{0,1\}\([-0-9.eE+NaIfinty]*\).*/\1/p' "$WORK/ft-$rule-s$seed/evaluation.json" | head -1
  done | awk -v rule="$rule" '{ d[NR] = $1; s += $1 } END {
    m = s / NR; v = 0; for (i = 1; i <= NR; i++) v += (d[i] - m) ^ 2
    sd = NR > 1 ? sqrt(v / (NR - 1)) : 0
    line = sprintf("%-5s mean %.3f ± %.3f (sd) over %d seeds:", rule, m, sd, NR)
    for (i = 1; i <= NR; i++) line = line sprintf(" %.3f", d[i]); print line }'
done
