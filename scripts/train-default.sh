#!/bin/sh
# Retrains the bundled model (models/default.slant) from the PTC corpus.
# Usage: scripts/train-default.sh [PTC_DIR]   (default $SLANT_PTC or ../shared/data/ptc)
set -eu
cd "$(dirname "$0")/.."
P=${1:-${SLANT_PTC:-../shared/data/ptc}}
make -s
build/slant train --name slant-default \
    --articles "$P/train/articles" --labels "$P/train/TC.labels" \
    --dev-articles "$P/dev/articles" --dev-labels "$P/dev/SI.labels" \
    ${SLANT_TRAIN_ARGS:-} -o models/default.slant --force
build/slant model info models/default.slant
