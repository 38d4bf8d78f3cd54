#!/bin/sh
# Retrains the bundled model (models/default.slant) from the PTC corpus.
# Usage: scripts/train-default.sh [PTC_DIR]   (default $SLANT_PTC or ../shared/data/ptc)
# Extra training options can be passed in SLANT_TRAIN_ARGS.
set -eu
cd "$(dirname "$0")/.."
P=${1:-${SLANT_PTC:-../shared/data/ptc}}
make -s
# shellcheck disable=SC2086
build/slant train --name slant-default \
    --articles "$P/train/articles" --labels "$P/train/SI.labels" --tc-labels "$P/train/TC.labels" \
    --dev-articles "$P/dev/articles" --dev-labels "$P/dev/SI.labels" --dev-tc-labels "$P/dev/TC.labels" \
    --c2 0.3 --iterations 300 --sentence-c2 0 ${SLANT_TRAIN_ARGS:-} -o models/default.slant --force
build/slant model info models/default.slant
