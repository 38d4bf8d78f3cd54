#!/bin/sh
# make bench: speed and memory of slant on the PTC dev articles, written to
# the "Speed and memory" section of bench/RESULTS.md (between the
# <!-- speed:begin --> and <!-- speed:end --> markers; the rest of the file
# belongs to other sections and is kept as it is).
#
# Every measurement runs BENCH_RUNS times (default 5), interleaved across
# modes so that load from other processes hits all of them alike; the table
# shows medians and ratios of medians. Environment:
#   SLANT_PTC    corpus root (default ../shared/data/ptc); dev/articles is read
#   BENCH_DOCS   documents per batch: the articles repeated (default 2000)
#   BENCH_RUNS   runs per measurement (default 5)
#   BENCH_NEWS   a news shard whose first BENCH_DOCS articles make a batch of
#                distinct documents (default ../shared/data/news/news-00.jsonl.gz;
#                its rows are left out when it is absent)
#   BENCH_PROFILE=0 skips the callgrind profile (needs valgrind)
set -eu
BUILD=${BUILD:-build}
PTC=${SLANT_PTC:-../shared/data/ptc}
ART="$PTC/dev/articles"
DOCS=${BENCH_DOCS:-2000}
RUNS=${BENCH_RUNS:-5}
MODEL=${BENCH_MODEL:-models/default.slant}
NEWS=${BENCH_NEWS:-../shared/data/news/news-00.jsonl.gz}   # distinct articles (skipped when absent)
NCPU=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc)
OUT=bench/RESULTS.md
if [ ! -d "$ART" ]; then echo "bench: $ART not found (set SLANT_PTC): skipped"; exit 0; fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/slant-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
RES="$TMP/results"; : > "$RES"

# The batch as a folder for the CLI: round rNNN holds one copy of every article.
N_ART=$(ls "$ART"/*.txt | wc -l)
ROUNDS=$(( (DOCS + N_ART - 1) / N_ART ))
i=1
while [ $i -le $ROUNDS ]; do
    d=$(printf '%s/docs/r%03d' "$TMP" $i); mkdir -p "$d"; cp "$ART"/*.txt "$d"/
    i=$((i + 1))
done
CLI_DOCS=$((ROUNDS * N_ART))
CLI_BYTES=$(cat "$TMP"/docs/r*/*.txt | wc -c)
ls -d "$TMP"/docs/r* > "$TMP/rounds"
PER=$(( (ROUNDS + NCPU - 1) / NCPU ))

# slant analyze may run --jobs threads; pin it to one so the rows mean what they say.
ONE=""
if "$BUILD/slant" analyze --help 2>&1 | grep -q -- '--jobs'; then ONE="--jobs 1"; fi
now() { date +%s%N; }
# cli_line MODE THREADS NANOSECONDS: a result line for a command-line run.
cli_line() {
    awk -v m="$1" -v t="$2" -v ns="$3" -v n="$CLI_DOCS" -v b="$CLI_BYTES" 'BEGIN {
        s = ns / 1e9; printf "mode=%s threads=%d docs=%d bytes=%d seconds=%.6f docs_per_s=%.1f mb_per_s=%.3f\n",
        m, t, n, b, s, n / s, b / s / 1e6 }'
}

# The JSONL pipeline's input: the first DOCS lines of the news shard.
if [ -f "$NEWS" ]; then
    case $NEWS in *.gz) gzip -dc "$NEWS" ;; *) cat "$NEWS" ;; esac | head -n "$DOCS" > "$TMP/news.jsonl" || true
    NEWS_DOCS=$(wc -l < "$TMP/news.jsonl"); NEWS_BYTES=$(wc -c < "$TMP/news.jsonl")
fi
# news_line MODE NANOSECONDS: a result line for a command-line run on news.jsonl.
news_line() {
    awk -v m="$1" -v ns="$2" -v n="$NEWS_DOCS" -v b="$NEWS_BYTES" 'BEGIN {
        s = ns / 1e9; printf "mode=%s threads=1 docs=%d bytes=%d seconds=%.6f docs_per_s=%.1f mb_per_s=%.3f\n",
        m, n, b, s, n / s, b / s / 1e6 }'
}

echo "bench: $DOCS documents ($N_ART dev articles repeated), $RUNS runs, $NCPU cores"
r=1
while [ $r -le $RUNS ]; do
    for t in 1 "$NCPU"; do
        "$BUILD/bench/bench_tokenize" split "$ART" "$DOCS" "$t" >> "$RES"
        "$BUILD/bench/bench_tokenize" tokenize "$ART" "$DOCS" "$t" >> "$RES"
        "$BUILD/bench/bench_analyze" analyze "$MODEL" "$ART" "$DOCS" "$t" >> "$RES"
    done
    # The same on distinct articles: the first DOCS of a news shard, where
    # the caches across articles (word sums, character runs) find less.
    if [ -f "$NEWS" ]; then
        "$BUILD/bench/bench_tokenize" tokenize "$NEWS" "$DOCS" 1 | sed 's/^mode=/mode=news-/' >> "$RES"
        "$BUILD/bench/bench_analyze" analyze "$MODEL" "$NEWS" "$DOCS" 1 | sed 's/^mode=/mode=news-/' >> "$RES"
    fi
    # The command line end to end: one process, then NCPU processes.
    t0=$(now); "$BUILD/slant" analyze $ONE --model "$MODEL" --format flc "$TMP/docs" > "$TMP/flc.out"; t1=$(now)
    cli_line cli 1 $((t1 - t0)) >> "$RES"
    t0=$(now); xargs -P "$NCPU" -n "$PER" "$BUILD/slant" analyze $ONE --model "$MODEL" --format flc < "$TMP/rounds" > "$TMP/flc.par"; t1=$(now)
    cli_line cli "$NCPU" $((t1 - t0)) >> "$RES"
    # A stream of news as JSONL, in one process: the TSV output, then the
    # JSON documents (what rendering them costs).
    if [ -f "$NEWS" ]; then
        for f in flc jsonl; do
            t0=$(now); "$BUILD/slant" analyze $ONE --model "$MODEL" -I jsonl -F $f < "$TMP/news.jsonl" > "$TMP/news-out.$f"; t1=$(now)
            news_line "jsonl-$f" $((t1 - t0)) >> "$RES"
        done
    fi
    # Its floor: read every file and split it into words.
    t0=$(now); find "$TMP/docs" -name '*.txt' -exec cat {} + | wc -w > /dev/null; t1=$(now)
    cli_line cli-wc 1 $((t1 - t0)) >> "$RES"
    echo "bench: run $r of $RUNS done"
    r=$((r + 1))
done
"$BUILD/bench/bench_analyze" load "$MODEL" 20 > "$TMP/load"
# What a command-line run pays: the first load in a fresh process (page
# faults on every new table included), 11 processes.
for i in 1 2 3 4 5 6 7 8 9 10 11; do
    "$BUILD/bench/bench_analyze" load "$MODEL" 1 | sed -n 's/.*median_ms=\([^ ]*\).*/\1/p'
done | sort -g > "$TMP/load_cold"

# Peak RSS of the command line for a small and the full batch.
RSS_SMALL=$( { /usr/bin/time -f 'rss=%M' "$BUILD/slant" analyze --model "$MODEL" --format flc "$TMP/docs/r001" > /dev/null; } 2>&1 | sed -n 's/^rss=//p')
RSS_FULL=$( { /usr/bin/time -f 'rss=%M' "$BUILD/slant" analyze --model "$MODEL" --format flc "$TMP/docs" > /dev/null; } 2>&1 | sed -n 's/^rss=//p')

# med MODE THREADS FIELD: median of FIELD over the runs of MODE/THREADS.
med() {
    grep "^mode=$1 threads=$2 " "$RES" | tr ' ' '\n' | sed -n "s/^$3=//p" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", a / b }'; }
fmt0() { awk -v a="$1" 'BEGIN { printf "%.0f", a }'; }
fmt1() { awk -v a="$1" 'BEGIN { printf "%.1f", a }'; }
mib() { awk -v a="$1" 'BEGIN { printf "%.1f", a / 1024 }'; }

SEC="$TMP/section"
{
echo "<!-- speed:begin -->"
echo "## Speed and memory"
echo
echo "Generated by \`make bench\` (bench/run.sh); do not edit by hand."
echo
echo "- Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $NCPU cores ($(uname -m), $(uname -r)); shared with other jobs, so wall-clock figures are noisy: medians of $RUNS interleaved runs."
echo "- Command: \`make bench\` (BENCH_DOCS=$DOCS BENCH_RUNS=$RUNS SLANT_PTC=$PTC)"
echo "- Commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src include cli bench 2>/dev/null || echo ' (with uncommitted changes)'), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- Input: the $N_ART PTC dev articles repeated to $DOCS documents ($(awk -v b="$(med analyze 1 bytes)" 'BEGIN { printf "%.1f", b / 1e6 }') MB), held in memory for the library rows; the CLI rows read $CLI_DOCS files from a temporary folder.$([ -f "$NEWS" ] && echo " The distinct-news rows: the first $DOCS articles of $NEWS, all different, one thread: the caches that carry over from one article to the next (word sums, character runs) find less there than in the repeated dev batch.")"
echo
echo "| what | threads | articles/s | MB/s | vs split floor | vs tokenize | peak RSS |"
echo "|---|---|---|---|---|---|---|"
for t in 1 "$NCPU"; do
    fs=$(med split "$t" docs_per_s); tk=$(med tokenize "$t" docs_per_s)
    for m in split tokenize analyze; do
        v=$(med "$m" "$t" docs_per_s)
        case $m in
            split) what="floor: read + split at whitespace (bench_tokenize split)";;
            tokenize) what="text_load + tok_tokenize (bench_tokenize tokenize)";;
            analyze) what="end to end, spans + techniques (bench_analyze)";;
        esac
        echo "| $what | $t | $(fmt0 "$v") | $(fmt1 "$(med "$m" "$t" mb_per_s)") | $(ratio "$v" "$fs") | $(ratio "$v" "$tk") | $(mib "$(med "$m" "$t" maxrss_kb)") MiB |"
    done
done
if [ -f "$NEWS" ]; then
    nt=$(med news-tokenize 1 docs_per_s); na=$(med news-analyze 1 docs_per_s)
    echo "| distinct news: text_load + tok_tokenize (first $DOCS articles of $(basename "$NEWS")) | 1 | $(fmt0 "$nt") | $(fmt1 "$(med news-tokenize 1 mb_per_s)") | | 1.0000 | $(mib "$(med news-tokenize 1 maxrss_kb)") MiB |"
    echo "| distinct news: end to end, spans + techniques | 1 | $(fmt0 "$na") | $(fmt1 "$(med news-analyze 1 mb_per_s)") | | $(ratio "$na" "$nt") | $(mib "$(med news-analyze 1 maxrss_kb)") MiB |"
fi
wc1=$(med cli-wc 1 docs_per_s)
for t in 1 "$NCPU"; do
    v=$(med cli "$t" docs_per_s)
    echo "| \`slant analyze --format flc FOLDER\` ($t process(es), model load included) | $t | $(fmt0 "$v") | $(fmt1 "$(med cli "$t" mb_per_s)") | $(ratio "$v" "$wc1") (vs cat+wc) | | |"
done
echo "| floor: \`find FOLDER -name '*.txt' -exec cat {} + \\| wc -w\` | 1 | $(fmt0 "$wc1") | $(fmt1 "$(med cli-wc 1 mb_per_s)") | 1 | | |"
if [ -f "$NEWS" ]; then
    jf=$(med jsonl-flc 1 docs_per_s); jj=$(med jsonl-jsonl 1 docs_per_s)
    echo "| \`slant analyze -I jsonl -F flc < NEWS.jsonl\` (the first $NEWS_DOCS news articles as JSONL, one process, model load included) | 1 | $(fmt0 "$jf") | $(fmt1 "$(med jsonl-flc 1 mb_per_s)") | | | |"
    echo "| the same with \`-F jsonl\` (a JSON document an article, docs/JSON.md) | 1 | $(fmt0 "$jj") | $(fmt1 "$(med jsonl-jsonl 1 mb_per_s)") | $(ratio "$jj" "$jf") (vs -F flc) | | |"
fi
echo
a1=$(med analyze 1 docs_per_s); an=$(med analyze "$NCPU" docs_per_s)
echo "- Scaling, library end to end: $(fmt0 "$an") articles/s on $NCPU threads = $(ratio "$an" "$a1")x one thread (linear: ${NCPU}x). Threads agree: $(med analyze 1 checksum) fragments on 1 thread, $(med analyze "$NCPU" checksum) on $NCPU."
echo "- Model load (\`slant_model_load\`, $(ls -l "$MODEL" | awk '{ printf "%.1f MB", $5 / 1e6 }')): median $(sed -n 's/.*median_ms=\([^ ]*\).*/\1/p' "$TMP/load") ms, min $(sed -n 's/.*min_ms=\([^ ]*\).*/\1/p' "$TMP/load") ms over 20 loads in one process; the first load of a fresh process (what \`slant analyze\` pays): median $(sed -n 6p "$TMP/load_cold") ms, min $(sed -n 1p "$TMP/load_cold") ms, max $(sed -n 11p "$TMP/load_cold") ms over 11 processes."
echo "- Peak RSS of \`slant analyze\` (\`/usr/bin/time -f %M\`, default --jobs): $(mib "$RSS_SMALL") MiB for $N_ART articles, $(mib "$RSS_FULL") MiB for $CLI_DOCS: it does not grow with the batch (one article's buffers are reused; only the largest article sets them)."
if [ "${BENCH_PROFILE:-1}" != 0 ] && command -v valgrind > /dev/null && command -v callgrind_annotate > /dev/null; then
    valgrind --tool=callgrind --callgrind-out-file="$TMP/cg" "$BUILD/slant" analyze --model "$MODEL" --format flc "$ART" > /dev/null 2> "$TMP/cg.log"
    total=$(sed -n 's/.*Collected : *//p' "$TMP/cg.log")
    echo
    echo "### Where the instructions go"
    echo
    echo "\`valgrind --tool=callgrind $BUILD/slant analyze --format flc $ART\` ($N_ART articles, model load included): $total instructions, $(awk -v t="$total" -v n="$N_ART" 'BEGIN { printf "%.2f", t / n / 1e6 }') M per article all included. Inclusive share of the main stages, then the top functions by own instructions:"
    echo
    echo "| stage (inclusive) | instructions | share |"
    echo "|---|---|---|"
    callgrind_annotate --inclusive=yes "$TMP/cg" 2>/dev/null | awk -v t="$total" '
        /^ *[0-9,]+ / {
            n = $1; gsub(",", "", n); f = $0; sub(/^ *[0-9,]+ +\([^)]*\) +/, "", f); sub(/ \[.*/, "", f)
            fn = f; sub(/.*:/, "", fn)
            if (fn ~ /^(slant_model_load|analyze_loaded|tok_tokenize|tagger_marginals|feat_prepare|feat_tokens|crf_forward_backward|span_classifier_article|span_classifier_predict|sb_stemmer_stem|text_read_file)$/ && !(fn in seen)) {
                seen[fn] = 1; printf "| %s | %d | %.1f%% |\n", fn, n, 100 * n / t }
        }'
    echo
    echo "| function (self) | instructions | share |"
    echo "|---|---|---|"
    callgrind_annotate "$TMP/cg" 2>/dev/null | awk -v t="$total" '
        /^ *[0-9,]+ / && k < 15 {
            n = $1; gsub(",", "", n); lib = $0; f = $0; sub(/^ *[0-9,]+ +\([^)]*\) +/, "", f); sub(/ \[.*/, "", f); sub(/.*\//, "", f)
            if (n + 0 == t + 0) next
            if (f ~ /^\?\?\?/ && lib ~ /\[/) { sub(/.*\[/, "", lib); sub(/\].*/, "", lib); sub(/.*\//, "", lib); f = lib " (no symbols) " f }
            k++; printf "| %s | %d | %.1f%% |\n", f, n, 100 * n / t }'
fi
echo "<!-- speed:end -->"
} > "$SEC"

# Splice the section into RESULTS.md: replace ours, keep everything else.
if [ -f "$OUT" ] && grep -q '<!-- speed:begin -->' "$OUT"; then
    awk -v sec="$SEC" '
        /<!-- speed:begin -->/ { while ((getline l < sec) > 0) print l; skip = 1; next }
        /<!-- speed:end -->/ { skip = 0; next }
        !skip { print }' "$OUT" > "$TMP/out.md"
    cat "$TMP/out.md" > "$OUT"
else
    { [ -f "$OUT" ] && cat "$OUT" && echo; cat "$SEC"; } > "$TMP/out.md"
    cat "$TMP/out.md" > "$OUT"
fi
cat "$SEC"
