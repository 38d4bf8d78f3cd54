#!/bin/sh
# CLI tests: run the built slant binary and check exit codes and messages.
# Prints "N passed, N failed, N skipped" for tests/run.sh.
set -u
B=${BUILD:-build}/slant
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
passed=0; failed=0; skipped=0

ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); echo "FAIL cli: $1" >&2; }
skip() { skipped=$((skipped + 1)); echo "SKIP cli: $1" >&2; }
# recorded_matches_eval NAME TASK PRED GOLD MODEL KEY: `slant eval TASK`'s F1
# of PRED against GOLD equals the KEY that `slant model info MODEL` records
# (to 1e-4), so that a model's recorded dev scores reproduce from its output.
recorded_matches_eval() {
    "$B" eval "$2" --json "$3" "$4" > "$T/rme.json" 2>/dev/null
    "$B" model info "$5" > "$T/rme-info.txt" 2>/dev/null
    got=$(sed -n 's/.*"f1":[[:space:]]*\([0-9.eE+-]*\).*/\1/p' "$T/rme.json" | head -n 1)
    want=$(sed -n "s/.*\"$6\":[[:space:]]*\([0-9.eE+-]*\).*/\1/p" "$T/rme-info.txt" | head -n 1)
    if [ -n "$got" ] && [ -n "$want" ] && awk -v a="$got" -v b="$want" 'BEGIN { d = a - b; exit !(d < 1e-4 && d > -1e-4) }'; then ok
    else ko "$1: eval $got, metadata $want"; fi
}

# expect NAME EXIT_CODE STDERR_SUBSTRING -- command...
expect() {
    name=$1; code=$2; msg=$3; shift 4
    "$@" >"$T/out" 2>"$T/err"; rc=$?
    if [ "$rc" -ne "$code" ]; then ko "$name: exit $rc, expected $code ($(head -c 300 "$T/err"))"; return; fi
    if [ -n "$msg" ] && ! grep -qF -- "$msg" "$T/err"; then ko "$name: stderr lacks '$msg': $(head -c 300 "$T/err")"; return; fi
    ok
}

expect help_lists_every_command 0 "" -- "$B" --help
for c in analyze classify train eval serve model; do
    expect "${c}_has_help" 0 "" -- "$B" $c --help
    grep -q "usage" "$T/out" || ko "${c}_help_prints_usage"
done
expect unknown_command_is_a_usage_error 1 "unknown command" -- "$B" frobnicate
expect no_command_is_a_usage_error 1 "" -- "$B"
expect unknown_option_is_a_usage_error 1 "unknown option" -- "$B" analyze --bogus x

if [ -f models/default.slant ]; then
    expect missing_file_names_the_file 1 "/nonexistent/a.txt" -- "$B" analyze /nonexistent/a.txt
    expect analyze_runs_on_the_example 0 "" -- "$B" analyze examples/harbor-bill.txt
    expect analyze_si_runs_on_the_example 0 "" -- "$B" analyze --format si examples/harbor-bill.txt
    # Every SI line has three columns, numeric offsets, start < end.
    if awk -F'\t' 'NF != 3 || $2 !~ /^[0-9]+$/ || $3 !~ /^[0-9]+$/ || $2 + 0 >= $3 + 0 { bad = 1 } END { exit bad }' "$T/out"; then ok; else ko "si_lines_are_well_formed"; fi
    # SI lists disjoint spans in text order, and every FLC fragment (a
    # label group's span, perhaps with two techniques) lies within one.
    "$B" analyze --format flc examples/harbor-bill.txt 2>/dev/null > "$T/flc"
    if awk -F'\t' 'NR == FNR { if (FNR > 1 && $2 + 0 < e) bad = 1; e = $3 + 0; s[FNR] = $2 + 0; t[FNR] = e; n = FNR; next }
                    { in_ = 0; for (i = 1; i <= n; i++) if (s[i] <= $3 + 0 && $4 + 0 <= t[i]) in_ = 1; if (!in_) bad = 1; m++ }
                    END { exit bad || n == 0 || m == 0 }' "$T/out" "$T/flc"; then ok
    else ko "si_spans_are_disjoint_and_hold_every_flc_fragment"; fi
    cat examples/harbor-bill.txt | "$B" analyze --format si - > "$T/stdin.si" 2>/dev/null
    sed 's/^harbor-bill/stdin/' "$T/out" | cmp -s - "$T/stdin.si" && ok || ko "stdin_gives_the_same_spans_as_the_file"
    printf 'ok text \377 here\n' > "$T/bad.txt"
    expect invalid_utf8_names_file_and_byte 1 "byte 8" -- "$B" analyze "$T/bad.txt"
    printf 'a\000b' > "$T/nul.txt"
    expect nul_byte_is_refused 1 "NUL" -- "$B" analyze "$T/nul.txt"
    # One bad file in a batch: the others are still analysed, exit 1.
    cp examples/harbor-bill.txt "$T/good.txt"
    expect bad_file_in_batch_is_skipped 1 "bad.txt" -- "$B" analyze --format si "$T/bad.txt" "$T/good.txt"
    grep -q '^good' "$T/out" && ok || ko "bad_file_in_batch_keeps_the_good_one"
    expect model_check_accepts_the_default 0 "" -- "$B" model check models/default.slant
    expect model_info_prints_metadata 0 "" -- "$B" model info models/default.slant
    head -c 100 models/default.slant > "$T/trunc.slant"
    expect truncated_model_is_refused 1 "truncated" -- "$B" model check "$T/trunc.slant"
    cp models/default.slant "$T/flip.slant"
    printf '\125' | dd of="$T/flip.slant" bs=1 seek=5000 conv=notrunc 2>/dev/null
    expect flipped_byte_fails_the_checksum 1 "checksum" -- "$B" model check "$T/flip.slant"
    expect threshold_out_of_range_is_refused 1 "threshold" -- "$B" analyze -t 2 examples/harbor-bill.txt
else
    skip "models/default.slant is missing: analyze tests"
fi

touch "$T/exists.slant"
expect train_refuses_to_overwrite 1 "--force" -- "$B" train --articles "$T" --labels "$T/x" -o "$T/exists.slant"
expect train_refuses_zero_bags 1 "--bags" -- "$B" train --articles "$T" --labels "$T/x" -o "$T/new.slant" --bags 0
expect train_refuses_bag_dropout_1 1 "--bag-dropout" -- "$B" train --articles "$T" --labels "$T/x" -o "$T/new.slant" --bags 2 --bag-dropout 1
expect train_refuses_unknown_scheme 1 "--tagger-scheme" -- "$B" train --articles "$T" --labels "$T/x" -o "$T/new.slant" --tagger-scheme 3
# Bagging on a tiny corpus: fold bags give an out-of-fold score; the result is one model.
mkdir -p "$T/tiny"
for i in 1 2 3 4; do
    printf 'Title %s\nThe corrupt elite lies again and again, a total disaster.\nThe council met on Tuesday.\n' "$i" > "$T/tiny/article$i.txt"
    printf '%s\t12\t60\n' "$i" >> "$T/tiny/SI.labels"
done
expect train_bags_runs 0 "out-of-fold" -- "$B" train --articles "$T/tiny" --labels "$T/tiny/SI.labels" --dev-articles "$T/tiny" --dev-labels "$T/tiny/SI.labels" --no-classifier --iterations 5 --bags 2 -o "$T/bags.slant"
expect train_bags_model_is_valid 0 "" -- "$B" model check "$T/bags.slant"
expect train_bag_dropout_runs 0 "bag 2/2" -- "$B" train --articles "$T/tiny" --labels "$T/tiny/SI.labels" --dev-articles "$T/tiny" --dev-labels "$T/tiny/SI.labels" --no-classifier --iterations 5 --bags 2 --bag-fraction 1 --bag-dropout 0.3 --tagger-scheme 2 -o "$T/drop.slant"
# Word vectors as tagger features: trained, folded into the word features;
# the saved model's dev score is what its own output scores.
printf '5 3\ncorrupt 1 0 0\nelite 0.5 1 0\nlies 0 1 1\ncouncil -1 0 1\ntuesday 0 -1 1\n' > "$T/vec.txt"
expect train_vectors_runs 0 "" -- "$B" train --articles "$T/tiny" --labels "$T/tiny/SI.labels" --dev-articles "$T/tiny" --dev-labels "$T/tiny/SI.labels" --no-classifier --iterations 20 --tagger-vectors "$T/vec.txt" -o "$T/vec.slant"
expect train_vectors_model_is_valid 0 "" -- "$B" model check "$T/vec.slant"
"$B" analyze -m "$T/vec.slant" --format si "$T/tiny" > "$T/vec.si" 2>/dev/null
recorded_matches_eval train_vectors_dev_f1_matches_the_saved_model si "$T/vec.si" "$T/tiny/SI.labels" "$T/vec.slant" si_f1
printf '2 3\ncorrupt 1 0 0\nelite 0.5 x 0\n' > "$T/badvec.txt"
expect train_refuses_bad_vectors 1 "badvec.txt:3" -- "$B" train --articles "$T/tiny" --labels "$T/tiny/SI.labels" --no-classifier --iterations 5 --tagger-vectors "$T/badvec.txt" -o "$T/badvec.slant"
# The classifier's vectors come through the same reader: one per word, or
# per word cluster; a malformed file names its line there too.
for i in 1 2 3 4; do printf '%s\tLoaded_Language\t12\t60\n' "$i" >> "$T/tiny/TC.labels"; done
expect train_tc_vectors_runs 0 "word vectors: 5 words x 3" -- "$B" train --articles "$T/tiny" --labels "$T/tiny/SI.labels" --tc-labels "$T/tiny/TC.labels" --iterations 5 --tc-iterations 5 --tc-vectors "$T/vec.txt" --tc-vector-depth 0 -o "$T/tcvec.slant"
expect train_tc_vectors_model_is_valid 0 "" -- "$B" model check "$T/tcvec.slant"
# With a classifier, the recorded dev SI is the whole analysis's (repeated
# fragments included), also when the dev labels have no techniques.
expect train_classifier_with_si_dev_runs 0 "whole analysis" -- "$B" train --articles "$T/tiny" --labels "$T/tiny/SI.labels" --tc-labels "$T/tiny/TC.labels" --dev-articles "$T/tiny" --dev-labels "$T/tiny/SI.labels" --iterations 20 --tc-iterations 5 -o "$T/e2e.slant"
"$B" analyze -m "$T/e2e.slant" --format si "$T/tiny" > "$T/e2e.si" 2>/dev/null
recorded_matches_eval train_classifier_dev_si_matches_the_saved_model si "$T/e2e.si" "$T/tiny/SI.labels" "$T/e2e.slant" si_f1
expect train_report_all_techniques_runs 0 "" -- "$B" train --articles "$T/tiny" --labels "$T/tiny/TC.labels" --dev-articles "$T/tiny" --dev-labels "$T/tiny/TC.labels" --iterations 20 --tc-iterations 5 --report-all-techniques -o "$T/all.slant"
expect train_report_all_techniques_model_info 0 "" -- "$B" model info "$T/all.slant"
grep -q '"unreported":[[:space:]]*\[\]' "$T/out" && ! grep -q "not reported" "$T/out" && ok || ko "train_report_all_techniques_records_none_left_out"
# ... before the tagger trains: the error comes first.
expect train_tc_vector_depth_needs_clusters_at_once 1 "--tc-vector-depth" -- "$B" train --articles "$T/tiny" --labels "$T/tiny/SI.labels" --tc-labels "$T/tiny/TC.labels" --iterations 5 --tc-vectors "$T/vec.txt" -o "$T/depth.slant"
if grep -q "training the span tagger" "$T/err"; then ko "train_checks_tc_vector_depth_before_the_tagger"; else ok; fi
# ... and with --tagger-from, against the clusters of that model, before the corpus is read.
expect train_tc_vector_depth_checks_the_tagger_from_model 1 "has none" -- "$B" train --articles "$T/tiny" --labels "$T/tiny/SI.labels" --tc-labels "$T/tiny/TC.labels" --tagger-from "$T/tcvec.slant" --tc-vectors "$T/vec.txt" -o "$T/depth2.slant"
expect train_refuses_bad_tc_vectors 1 "badvec.txt:3" -- "$B" train --articles "$T/tiny" --labels "$T/tiny/SI.labels" --tc-labels "$T/tiny/TC.labels" --iterations 5 --tc-vectors "$T/badvec.txt" --tc-vector-depth 0 -o "$T/badtc.slant"
if grep -q "training the span tagger" "$T/err"; then ko "train_reads_tc_vectors_before_the_tagger: $(head -c 300 "$T/err")"; else ok; fi
# Two label groups (short-span techniques, the rest) learn from technique labels.
expect train_groups_2_runs 0 "" -- "$B" train --articles "$T/tiny" --labels "$T/tiny/TC.labels" --dev-articles "$T/tiny" --dev-labels "$T/tiny/SI.labels" --no-classifier --iterations 5 --tagger-groups 2 -o "$T/g2.slant"
expect train_groups_2_model_is_valid 0 "" -- "$B" model check "$T/g2.slant"
expect train_groups_2_says_its_labels 0 "" -- "$B" model info "$T/g2.slant"
grep -q "short-span techniques" "$T/out" || ko "train_groups_2_model_info_names_the_groups"
expect train_groups_2_finds_spans 0 "" -- "$B" analyze -m "$T/g2.slant" --format si "$T/tiny"
[ -s "$T/out" ] || ko "train_groups_2_model_tags_its_training_spans"
expect train_groups_2_needs_techniques 1 "needs technique labels" -- "$B" train --articles "$T/tiny" --labels "$T/tiny/SI.labels" --no-classifier --iterations 5 --tagger-groups 2 -o "$T/g2si.slant"
expect train_refuses_groups_3 1 "--tagger-groups" -- "$B" train --articles "$T/tiny" --labels "$T/tiny/TC.labels" --no-classifier --iterations 5 --tagger-groups 3 -o "$T/g3.slant"
expect train_refuses_vector_window_3 1 "window" -- "$B" train --articles "$T/tiny" --labels "$T/tiny/SI.labels" --no-classifier --iterations 5 --tagger-vectors "$T/vec.txt" --tagger-vector-window 3 -o "$T/win3.slant"

# slant serve (issue 6): tests/serve.sh, counted here.
serve_line=$(BUILD="${BUILD:-build}" sh tests/serve.sh | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
if [ -n "$serve_line" ]; then
    passed=$((passed + $(echo "$serve_line" | sed -E 's/.* ([0-9]+) passed.*/\1/')))
    failed=$((failed + $(echo "$serve_line" | sed -E 's/.* ([0-9]+) failed.*/\1/')))
    skipped=$((skipped + $(echo "$serve_line" | sed -E 's/.* ([0-9]+) skipped.*/\1/')))
else ko "tests/serve.sh printed no summary"; fi

# ---- analyze reports (issue 5): formats, inputs, jobs, techniques ----
if [ -f models/default.slant ]; then
    EX=examples/harbor-bill.txt
    "$B" analyze "$EX" > "$T/plain.txt" 2>/dev/null
    "$B" analyze --color "$EX" > "$T/colour.txt" 2>/dev/null
    grep -q '\]{[A-Z]' "$T/plain.txt" && grep -q '^-- summary --' "$T/plain.txt" && ok || ko "text_report_tags_fragments_and_summarises"
    grep -q "$(printf '\033')" "$T/plain.txt" && ko "text_report_off_a_terminal_has_no_escapes" || ok
    sed 's/\x1b\[[0-9;]*m//g' "$T/colour.txt" | cmp -s - "$T/plain.txt" && ok || ko "colour_report_is_the_plain_one_with_escapes"
    NO_COLOR=1 "$B" analyze --color "$EX" 2>/dev/null | grep -q "$(printf '\033')" && ko "no_color_env_turns_colour_off" || ok
    expect analyze_json_runs 0 "" -- "$B" analyze --format json "$EX"
    cp "$T/out" "$T/one.json"
    "$B" analyze --format flc "$EX" > "$T/one.flc" 2>/dev/null
    "$B" analyze --format si "$EX" > "$T/one.si" 2>/dev/null
    "$B" analyze --techniques LOAD,Name_Calling,Labeling --format flc "$EX" > "$T/only.flc" 2>/dev/null
    [ -s "$T/only.flc" ] && ! grep -vqE 'Loaded_Language|Name_Calling,Labeling' "$T/only.flc" && ok || ko "techniques_keeps_only_those_named"
    expect unknown_technique_is_a_usage_error 1 "unknown technique" -- "$B" analyze --techniques NOPE "$EX"
    # classify --probs: 4 columns and 14 probabilities that sum to 1, the
    # largest being the technique named (each span is given once).
    expect classify_probs_runs 0 "" -- "$B" classify --probs --spans tests/bad/good-si.labels tests/bad/article1.txt
    awk -F'\t' 'BEGIN { split("Appeal_to_Authority Appeal_to_fear-prejudice Bandwagon,Reductio_ad_hitlerum Black-and-White_Fallacy Causal_Oversimplification Doubt Exaggeration,Minimisation Flag-Waving Loaded_Language Name_Calling,Labeling Repetition Slogans Thought-terminating_Cliches Whataboutism,Straw_Men,Red_Herring", t, " ") }
        { if (NF != 18) bad = 1; s = 0; best = 5
          for (k = 5; k <= 18; k++) { s += $k; if ($k > $best) best = k }
          if (s < 0.999 || s > 1.001 || t[best - 4] != $2) bad = 1 }
        END { exit bad || NR == 0 }' "$T/out" && ok || ko "classify_probs_sum_to_one_and_name_the_top: $(head -n 1 "$T/out")"
    # examples/analyze_file.c (the library through its public header) finds what
    # the CLI finds, and names a file it cannot read.
    expect example_analyze_file_runs 0 "" -- "${BUILD:-build}/examples/analyze_file" models/default.slant "$EX"
    grep -v '^article score' "$T/out" | cut -f1-3 > "$T/embed.flc"
    cut -f2- "$T/one.flc" | cmp -s - "$T/embed.flc" && [ -s "$T/embed.flc" ] && ok || ko "example_analyze_file_matches_analyze_flc"
    expect example_analyze_file_names_a_missing_file 1 "/nonexistent/x.txt" -- "${BUILD:-build}/examples/analyze_file" models/default.slant /nonexistent/x.txt
    # "all" adds the techniques the model does not report; it drops nothing.
    expect techniques_all_runs 0 "" -- "$B" analyze --techniques all --format flc "$EX"
    sort "$T/out" > "$T/all.sorted"
    sort "$T/one.flc" | comm -23 - "$T/all.sorted" | grep -q . && ko "techniques_all_keeps_every_default_fragment" || ok
    expect several_html_pages_need_a_folder 1 "-o DIR" -- "$B" analyze --format html "$EX" "$EX"
    expect html_to_a_folder_writes_pages_and_index 0 "" -- "$B" analyze --format html -o "$T/site" "$EX" "$T/good.txt"
    [ -f "$T/site/index.html" ] && [ -f "$T/site/harbor-bill.html" ] && [ -f "$T/site/good.html" ] && ok || ko "html_folder_has_every_page"
    grep -q 'harbor-bill.html' "$T/site/index.html" && ok || ko "html_index_links_each_article"
    expect html_never_overwrites_without_force 1 "--force" -- "$B" analyze --format html -o "$T/site" "$EX" "$T/good.txt"
    expect html_overwrites_with_force 0 "" -- "$B" analyze --format html --force -o "$T/site" "$EX" "$T/good.txt"
    expect output_file_never_overwritten 1 "--force" -- "$B" analyze --format si -o "$T/one.flc" "$EX"
    printf '{"id":"a","text":"Lying crooks run this rotten town."}\nnot json\n{"id":"c","text":"Fine."}\n' > "$T/in.jsonl"
    expect jsonl_bad_line_is_named_and_skipped 1 "in.jsonl:2" -- "$B" analyze --input jsonl --format jsonl "$T/in.jsonl"
    [ "$(grep -c '"id":' "$T/out")" -eq 2 ] && ok || ko "jsonl_bad_line_keeps_the_others"
    "$B" analyze --format html "$EX" > "$T/one.html" 2>/dev/null
    if command -v node >/dev/null 2>&1; then
        node tests/browser/check-json.mjs schema "$T/one.json" && ok || ko "json_matches_the_schema"
        node tests/browser/check-json.mjs flc "$T/one.json" "$T/one.flc" && ok || ko "flc_lines_are_the_json_fragments"
        node tests/browser/check-json.mjs si "$T/one.json" "$T/one.si" && ok || ko "si_lines_are_the_json_spans"
        "$B" analyze --format jsonl "$EX" "$T/good.txt" > "$T/two.jsonl" 2>/dev/null
        node tests/browser/check-json.mjs jsonl "$T/two.jsonl" && ok || ko "jsonl_lines_match_the_schema"
        "$B" analyze --format json "$EX" "$T/good.txt" > "$T/two.json" 2>/dev/null
        node tests/browser/check-json.mjs schema "$T/two.json" && node -e 'process.exit(Array.isArray(JSON.parse(require("fs").readFileSync(process.argv[1]))) ? 0 : 1)' "$T/two.json" \
            && ok || ko "json_of_several_inputs_is_an_array"
        if [ ! -x /usr/bin/chromium ]; then
            skip "/usr/bin/chromium is missing (Debian package chromium): browser test"
        else
            if [ ! -d tests/browser/node_modules/playwright-core ]; then
                (cd tests/browser && { npm ci --no-audit --no-fund >/dev/null 2>&1 || npm install --no-audit --no-fund >/dev/null 2>&1; })
            fi
            if [ -d tests/browser/node_modules/playwright-core ]; then
                node tests/browser/report.test.mjs "$T/one.html" "$T/one.json" >"$T/browser.out" 2>&1 && ok \
                    || ko "html_report_passes_the_browser_test: $(cat "$T/browser.out")"
            else
                skip "npm could not install playwright-core: browser test"
            fi
        fi
    else
        skip "node is missing: JSON schema and browser tests"
    fi
    # The 75 dev articles as a folder (2 threads), as JSONL on stdin and one
    # by one give the same fragments.
    if [ -n "${SLANT_PTC:-}" ] && [ -d "$SLANT_PTC/dev/articles" ]; then
        DEV=$SLANT_PTC/dev/articles
        "$B" analyze --jobs 2 --format flc "$DEV" > "$T/dev.flc" 2>"$T/err" || ko "dev_folder_analyses: $(head -c 300 "$T/err")"
        "$B" analyze --jobs 1 --format jsonl "$DEV" > "$T/dev.jsonl" 2>/dev/null
        [ "$(wc -l < "$T/dev.jsonl")" -eq 75 ] && ok || ko "dev_jsonl_has_75_lines"
        "$B" analyze --jobs 2 --input jsonl --format flc < "$T/dev.jsonl" > "$T/dev-stdin.flc" 2>/dev/null
        cmp -s "$T/dev.flc" "$T/dev-stdin.flc" && ok || ko "dev_jsonl_on_stdin_gives_the_folders_fragments"
        : > "$T/dev-each.flc"
        for f in "$DEV"/*.txt; do "$B" analyze --jobs 1 --format flc "$f" >> "$T/dev-each.flc" 2>/dev/null; done
        cmp -s "$T/dev.flc" "$T/dev-each.flc" && ok || ko "dev_one_by_one_gives_the_folders_fragments"
        [ -s "$T/dev.flc" ] && ok || ko "dev_finds_fragments"
    else
        skip "SLANT_PTC is unset: dev folder / JSONL / one-by-one comparison"
    fi
else
    skip "models/default.slant is missing: analyze report tests"
fi

# make install: the installed binary finds the installed model from any
# directory, and the pkg-config file names the library.
if make -s install PREFIX="$T/inst" BUILD="${BUILD:-build}" >/dev/null 2>&1; then
    (cd / && "$T/inst/bin/slant" analyze --format si "$OLDPWD/examples/harbor-bill.txt") > "$T/inst.si" 2>"$T/err" \
        && [ -s "$T/inst.si" ] && ok || ko "installed_binary_runs_from_any_directory: $(head -c 300 "$T/err")"
    PKG_CONFIG_PATH="$T/inst/lib/pkgconfig" pkg-config --libs slant 2>/dev/null | grep -q -- '-lslant' \
        && ok || ko "pkg_config_file_names_the_library"
    # An embedding program builds from the installed header and pkg-config
    # file alone, runs on the shared library and finds what the CLI finds.
    # (A sanitizer build's library wants its runtime loaded first.)
    san=""
    case ${BUILD:-build} in *san*) san="-fsanitize=address,undefined" ;; esac
    # shellcheck disable=SC2046,SC2086
    if ${CC:-cc} -std=c11 $san examples/analyze_file.c $(PKG_CONFIG_PATH="$T/inst/lib/pkgconfig" pkg-config --cflags --libs slant) \
           -o "$T/analyze_file" 2>"$T/err"; then
        LD_LIBRARY_PATH="$T/inst/lib" "$T/analyze_file" "$T/inst/share/slant/default.slant" examples/harbor-bill.txt > "$T/embed.out" 2>"$T/err"
        "$T/inst/bin/slant" analyze --format flc examples/harbor-bill.txt | cut -f2- > "$T/embed.want"
        grep -v '^article score' "$T/embed.out" | cut -f1-3 | cmp -s - "$T/embed.want" && [ -s "$T/embed.want" ] \
            && ok || ko "installed_library_embeds_and_matches_the_cli: $(head -c 300 "$T/err")"
    else
        ko "example_builds_against_the_installed_library: $(head -c 300 "$T/err")"
    fi
else
    ko "make_install_succeeds"
fi

# The bundled model's recorded dev scores are what `slant eval` gives on
# its output: the figures in bench/RESULTS.md and `slant model info` can be
# reproduced from the shipped files.
if [ -n "${SLANT_PTC:-}" ] && [ -d "$SLANT_PTC/dev/articles" ] && [ -f models/default.slant ]; then
    "$B" analyze --jobs 2 --format si "$SLANT_PTC/dev/articles" > "$T/dev.si" 2>/dev/null
    recorded_matches_eval bundled_model_dev_si_f1_matches_its_metadata si "$T/dev.si" "$SLANT_PTC/dev/SI.labels" models/default.slant si_f1
    "$B" analyze --jobs 2 --format flc "$SLANT_PTC/dev/articles" > "$T/dev.flc" 2>/dev/null
    recorded_matches_eval bundled_model_dev_flc_f1_matches_its_metadata flc "$T/dev.flc" "$SLANT_PTC/dev/TC.labels" models/default.slant flc_f1
    # The techniques it does not report are those whose dev fragments were
    # never right: with --techniques all, their fragments come back, and
    # none of them overlaps a gold fragment of its technique.
    "$B" analyze --jobs 2 --techniques all --format flc "$SLANT_PTC/dev/articles" > "$T/dev-all.flc" 2>/dev/null
    sort "$T/dev.flc" > "$T/dev.sorted"; sort "$T/dev-all.flc" > "$T/dev-all.sorted"
    comm -13 "$T/dev.sorted" "$T/dev-all.sorted" > "$T/dev-extra.flc"
    "$B" model info models/default.slant > "$T/info.txt" 2>/dev/null
    unrep=$(sed -n 's/.*fragments not reported: *//p' "$T/info.txt")
    if [ -z "$unrep" ]; then
        [ -s "$T/dev-extra.flc" ] && ko "bundled_model_reports_every_technique_so_all_adds_nothing" || ok
    else
        comm -23 "$T/dev.sorted" "$T/dev-all.sorted" | grep -q . && ko "bundled_model_techniques_all_keeps_every_default_fragment" || ok
        [ -s "$T/dev-extra.flc" ] && ok || ko "bundled_model_techniques_all_adds_the_unreported_fragments"
        "$B" eval flc "$T/dev-extra.flc" "$SLANT_PTC/dev/TC.labels" > "$T/extra.eval" 2>/dev/null
        awk '/^precision/ { exit !($2 == 0) }' "$T/extra.eval" && ok || ko "bundled_model_unreported_fragments_were_never_right: $(head -n 1 "$T/extra.eval")"
    fi
else
    skip "SLANT_PTC is unset: bundled model dev score check"
fi

# Hostile input: tests/bad.sh (issue 7), counted with these.
line=$(BUILD="${BUILD:-build}" sh tests/bad.sh | tail -n 1)
case $line in
    "bad: "*) set -- $line
              passed=$((passed + $2)); failed=$((failed + $4)); skipped=$((skipped + $6)) ;;
    *) ko "tests/bad.sh gave no summary" ;;
esac

echo "cli: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
