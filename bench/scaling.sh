#!/bin/sh
# Scaling across cores: bench_analyze at 1, 2, 4, ... threads up to every
# core of the machine, on the dev batch and on distinct news, each a median
# of BENCH_RUNS interleaved runs, with the speed-up over one thread measured
# in the same invocation; bare tokenization at the same thread counts shows
# how much of any shortfall the machine itself imposes (clock speed with
# every core busy, shared caches). `make bench` covers one thread and all cores of
# the machine it runs on; this is for machines with more cores than that.
# Prints a Markdown table; writes nothing.
#
# Environment: as bench/run.sh (SLANT_PTC, BENCH_RUNS, BENCH_MODEL,
# BENCH_NEWS), plus
#   SCALE_DOCS   documents of the dev batch (default 16000: a second's work
#                even for 16 threads)
#   NEWS_DOCS    distinct news articles (default 6000)
#   BUILD        where the bench binaries are (default build)
#   RUN          a prefix for every binary, e.g. a dynamic loader with
#                --library-path when the binaries were built elsewhere
set -eu
BUILD=${BUILD:-build}
RUN=${RUN:-}
PTC=${SLANT_PTC:-../shared/data/ptc}
ART="$PTC/dev/articles"
MODEL=${BENCH_MODEL:-models/default.slant}
NEWS=${BENCH_NEWS:-../shared/data/news/news-00.jsonl.gz}
RUNS=${BENCH_RUNS:-3}
DOCS=${SCALE_DOCS:-16000}
NDOCS=${NEWS_DOCS:-6000}
NCPU=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc)
if [ ! -d "$ART" ]; then echo "scaling: $ART not found (set SLANT_PTC): skipped"; exit 0; fi

THREADS=1; t=2
while [ $t -lt "$NCPU" ]; do THREADS="$THREADS $t"; t=$((t * 2)); done
[ "$NCPU" -gt 1 ] && THREADS="$THREADS $NCPU"

RES=$(mktemp "${TMPDIR:-/tmp}/slant-scaling.XXXXXX")
trap 'rm -f "$RES"' EXIT INT TERM
r=1
while [ $r -le "$RUNS" ]; do
    for t in $THREADS; do
        $RUN "$BUILD/bench/bench_tokenize" tokenize "$ART" "$DOCS" "$t" | sed 's/^/batch=dev /' >> "$RES"
        $RUN "$BUILD/bench/bench_analyze" analyze "$MODEL" "$ART" "$DOCS" "$t" | sed 's/^/batch=dev /' >> "$RES"
    done
    if [ -f "$NEWS" ]; then
        for t in 1 "$NCPU"; do
            $RUN "$BUILD/bench/bench_tokenize" tokenize "$NEWS" "$NDOCS" "$t" | sed 's/^/batch=news /' >> "$RES"
            $RUN "$BUILD/bench/bench_analyze" analyze "$MODEL" "$NEWS" "$NDOCS" "$t" | sed 's/^/batch=news /' >> "$RES"
        done
    fi
    r=$((r + 1))
done

# med BATCH MODE THREADS KEY: the median of KEY over the runs.
med() {
    awk -v b="batch=$1" -v m="mode=$2" -v t="threads=$3" -v k="$4" '
        $1 == b && $2 == m && $3 == t { for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) v[n++] = substr($i, length(k) + 2) }
        END { if (!n) exit; for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] + 0 < v[i] + 0) { x = v[i]; v[i] = v[j]; v[j] = x }
              print v[int((n - 1) / 2)] }' "$RES"
}

echo "Machine: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //'), $NCPU cores; $RUNS runs, medians"
echo
echo "| batch | threads | articles/s | speed-up | per thread | tokenization's speed-up | vs tokenize, same threads | peak RSS |"
echo "|---|---|---|---|---|---|---|---|"
for b in dev news; do
    tok1=$(med $b tokenize 1 docs_per_s)
    [ -n "$tok1" ] || continue
    one=$(med $b analyze 1 docs_per_s)
    list=$THREADS; [ $b = news ] && list="1 $NCPU"
    for t in $list; do
        a=$(med $b analyze "$t" docs_per_s)
        tok=$(med $b tokenize "$t" docs_per_s)
        rss=$(med $b analyze "$t" maxrss_kb)
        awk -v b="$b" -v t="$t" -v a="$a" -v one="$one" -v tok="$tok" -v tok1="$tok1" -v rss="$rss" 'BEGIN {
            printf "| %s | %d | %.0f | %.2fx | %.2f | %.2fx | %.3f | %.0f MiB |\n", b, t, a, a / one, a / one / t, tok / tok1, a / tok, rss / 1024 }'
    done
done
echo
echo "dev: the PTC dev articles repeated to $DOCS documents; news: the first $NDOCS articles of $(basename "$NEWS"), all different."
