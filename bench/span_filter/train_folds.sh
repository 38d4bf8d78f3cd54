#!/bin/sh
# Trains one model (tagger + classifier, the bundled settings) per fold, one at
# a time on one thread; run from the experiment folder (e.g. build/sf) after
# make_folds.py. About 65 s CPU per fold.
set -eu
R=$(cd "$(dirname "$0")/../.." && pwd)
P=${SLANT_PTC:-$R/../shared/data/ptc}
for f in 0 1 2 3 4; do
  F=fold$f
  [ -f $F/model.slant ] && continue
  nice -n 10 "$R/build/slant" train --name fold$f \
    --articles $F/tr/articles --labels $F/tr/SI.labels --tc-labels $F/tr/TC.labels \
    --dev-articles "$P/dev/articles" --dev-labels "$P/dev/SI.labels" --dev-tc-labels "$P/dev/TC.labels" \
    --clusters "$R/build/clusters.tsv" --tc-vectors "$R/build/vectors.txt" --tc-c2 3e-4 \
    --eval-every 0 -j 1 -o $F/model.slant --force > $F/train.log 2>&1
done
