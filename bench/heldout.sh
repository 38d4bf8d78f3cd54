#!/bin/sh
# The held-out split of the PTC training articles that bench/RESULTS.md uses
# to check a change on articles the model never saw other than dev: the
# first 264 training articles in file-name order train, the last 66 are held
# out (contiguous ids, since neighbouring ids often share a story). Writes
# OUT/tr and OUT/ho, each with articles/ (symbolic links to the corpus
# files, so no article text is copied) and the matching SI.labels and
# TC.labels lines.
#   usage: sh bench/heldout.sh OUT      (corpus from SLANT_PTC, default ../shared/data/ptc)
set -eu
[ $# -eq 1 ] || { echo "usage: sh bench/heldout.sh OUT" >&2; exit 1; }
PTC=$(cd "${SLANT_PTC:-../shared/data/ptc}" && pwd)
OUT=$1
KEEP=264
[ -d "$PTC/train/articles" ] || { echo "heldout: $PTC/train/articles not found (set SLANT_PTC)" >&2; exit 1; }
if [ -e "$OUT" ]; then echo "heldout: $OUT exists; remove it first" >&2; exit 1; fi
mkdir -p "$OUT/tr/articles" "$OUT/ho/articles"
n=0
for f in $(cd "$PTC/train/articles" && ls | LC_ALL=C sort); do
    part=tr; [ $n -ge $KEEP ] && part=ho
    ln -s "$PTC/train/articles/$f" "$OUT/$part/articles/$f"
    id=${f#article}; echo "${id%.txt}" >> "$OUT/$part/ids"
    n=$((n + 1))
done
for part in tr ho; do
    for kind in SI TC; do
        awk -F'\t' 'NR == FNR { keep[$1] = 1; next } ($1 in keep)' "$OUT/$part/ids" "$PTC/train/$kind.labels" > "$OUT/$part/$kind.labels"
    done
done
echo "heldout: $(wc -l < "$OUT/tr/ids") training and $(wc -l < "$OUT/ho/ids") held-out articles in $OUT"
