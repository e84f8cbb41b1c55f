#!/usr/bin/env bash
# Downstream loop on SYNTHETIC data: FDSL pretraining on AVS-DB, then fine-tuning on the abdominal phantom from
# scratch, from the pretrained run (whole network) and from its encoder only, then `medseg compare`.
# Usage: deploy/downstream-loop.sh [WORKDIR]   (env MEDSEG overrides the command, SEED the seed, DEVICE the device,
# THREADS torch threads: 1 avoids OpenMP oversubscription on a busy CPU box)
set -euo pipefail
WORK=${1:-./downstream-loop}
MEDSEG=${MEDSEG:-"dotnet run --project src/MedSeg.Cli -c Release --"}
SEED=${SEED:-1}
DEVICE=${DEVICE:-auto}
THREADS=${THREADS:-1}
NET=(--model BasicUNet --model-arg "features=(8, 8, 16, 32, 64, 8)")
mkdir -p "$WORK"

$MEDSEG generate avsdb --out "$WORK/avsdb" --count 100 --size 32 --seed "$SEED"
$MEDSEG train fdsl --out "$WORK/pretrain" --dataset "$WORK/avsdb" "${NET[@]}" --crop 32 --batch 4 --steps 800 \
  --samples 100 --lr 1e-3 --val-every 0 --checkpoint-every 400 --seed "$SEED" --device "$DEVICE" --threads "$THREADS"

$MEDSEG generate phantom --out "$WORK/phantom-raw" --count 12 --size 64,64,24 --seed "$SEED"
$MEDSEG import msd "$WORK/phantom-raw" --out "$WORK/phantom" --val 0.17 --test 0.17 --seed "$SEED"

FT=(--dataset "$WORK/phantom" "${NET[@]}" --patch 32 --steps 1000 --batch 2 --lr 1e-3 --val-every 250 --seed "$SEED" --device "$DEVICE" --threads "$THREADS")
$MEDSEG finetune --out "$WORK/ft-scratch" --init scratch "${FT[@]}"
$MEDSEG finetune --out "$WORK/ft-pretrained" --init "run:$WORK/pretrain" "${FT[@]}"
$MEDSEG finetune --out "$WORK/ft-encoder" --init "run:$WORK/pretrain" --encoder-only "${FT[@]}"

$MEDSEG compare "$WORK/ft-scratch" "$WORK/ft-pretrained" "$WORK/ft-encoder"
