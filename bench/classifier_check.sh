#!/bin/sh
# A classifier change, judged on dev and on the held-out split at once
# (bench/RESULTS.md, "Tried for the classifier (seventh session)"): the
# bundled classifier was chosen on dev among some 30 variants, so a change
# that only loses a few dev spans may still be sound; the held-out articles
# (bench/heldout.sh) were used for no choice. Trains the classifier twice
# with the bundled recipe plus OPTIONS, keeping a tagger that is given:
#   on the 330 training articles, over TAGGER (default models/default.slant),
#       scored on dev: TC accuracy (gold spans) and FLC F1 (end to end);
#   on the first 264 of them, over HO_TAGGER (a model trained on
#       SPLIT/tr, e.g. with scripts/train-default.sh's options), scored on
#       the last 66: the same two figures.
# Prints one line: NAME devTC ACC (RIGHT devFLC F1 hoTC ACC (RIGHT hoFLC F1.
#   usage: sh bench/classifier_check.sh NAME SPLIT HO_TAGGER [OPTIONS...]
#   e.g.   sh bench/heldout.sh /tmp/fold && (train /tmp/fold/fold.slant) &&
#          sh bench/classifier_check.sh base /tmp/fold /tmp/fold/fold.slant
# Needs build/slant and build/vectors.txt; writes OUT (default
# /tmp/classifier_check)/NAME.*; corpus from SLANT_PTC.
set -eu
[ $# -ge 3 ] || { echo "usage: sh bench/classifier_check.sh NAME SPLIT HO_TAGGER [OPTIONS...]" >&2; exit 1; }
N=$1 F=$2 HT=$3
shift 3
P=${SLANT_PTC:-../shared/data/ptc}
O=${OUT:-/tmp/classifier_check}
T=${TAGGER:-models/default.slant}
mkdir -p "$O"
recipe="--tc-vectors build/vectors.txt --tc-c2 3e-4 -j 2 --force"
dev="--dev-articles $P/dev/articles --dev-labels $P/dev/SI.labels --dev-tc-labels $P/dev/TC.labels"
# shellcheck disable=SC2086
build/slant train --name "$N" --articles "$P/train/articles" --labels "$P/train/TC.labels" $dev \
    --tagger-from "$T" $recipe "$@" -o "$O/$N.slant" > "$O/$N.log" 2>&1 ||
    { echo "classifier_check: training failed, see $O/$N.log" >&2; exit 1; }
# shellcheck disable=SC2086
build/slant train --name "$N-264" --articles "$F/tr/articles" --labels "$F/tr/TC.labels" $dev \
    --tagger-from "$HT" $recipe "$@" -o "$O/$N.ho.slant" > "$O/$N.ho.log" 2>&1 ||
    { echo "classifier_check: training failed, see $O/$N.ho.log" >&2; exit 1; }
build/slant classify -m "$O/$N.slant" --spans "$P/dev/TC.labels" "$P/dev/articles" > "$O/$N.dev.tc"
build/slant analyze -m "$O/$N.slant" -F flc "$P/dev/articles" > "$O/$N.dev.flc"
build/slant classify -m "$O/$N.ho.slant" --spans "$F/ho/TC.labels" "$F/ho/articles" > "$O/$N.ho.tc"
build/slant analyze -m "$O/$N.ho.slant" -F flc "$F/ho/articles" > "$O/$N.ho.flc"
tc() { build/slant eval tc "$1" "$2" | awk '/^accuracy/ { print $2, $3 }'; }
flc() { build/slant eval flc "$1" "$2" 2>/dev/null | awk '/^f1/ { print $2 }'; }
echo "$N devTC $(tc "$O/$N.dev.tc" "$P/dev/TC.labels") devFLC $(flc "$O/$N.dev.flc" "$P/dev/TC.labels")" \
     "hoTC $(tc "$O/$N.ho.tc" "$F/ho/TC.labels") hoFLC $(flc "$O/$N.ho.flc" "$F/ho/TC.labels")"
