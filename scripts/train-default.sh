#!/bin/sh
# Retrains the bundled model (models/default.slant) from the PTC corpus and
# word clusters learnt from the unlabelled news.
# Usage: scripts/train-default.sh [PTC_DIR [NEWS_DIR]]
#   defaults: $SLANT_PTC or ../shared/data/ptc, ../shared/data/news
# The clusters and word vectors are learnt once into build/clusters.tsv and
# build/vectors.txt (about 4-10 minutes on 2 cores); delete them to learn
# them again. Extra training options
# can be passed in SLANT_TRAIN_ARGS.
# The tagger learns from the technique labels (TC.labels) with two label
# groups, short-span techniques and the rest (--tagger-groups 2); the
# classifier learns from the same labels.
set -eu
cd "$(dirname "$0")/.."
P=${1:-${SLANT_PTC:-../shared/data/ptc}}
NEWS=${2:-../shared/data/news}
make -s
if [ ! -f build/clusters.tsv ] || [ ! -f build/vectors.txt ]; then
    build/slant learn clusters -j 2 --seed 1 -o build/clusters.tsv --vectors build/vectors.txt --force "$NEWS"
fi
# shellcheck disable=SC2086
build/slant train --name slant-default \
    --articles "$P/train/articles" --labels "$P/train/TC.labels" --tagger-groups 2 \
    --dev-articles "$P/dev/articles" --dev-labels "$P/dev/SI.labels" --dev-tc-labels "$P/dev/TC.labels" \
    --clusters build/clusters.tsv --tagger-vectors build/vectors.txt --tagger-vector-words 24000 --tc-vectors build/vectors.txt --tc-c2 3e-4 \
    ${SLANT_TRAIN_ARGS:-} -o models/default.slant --force
build/slant model info models/default.slant
