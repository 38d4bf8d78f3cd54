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

# slant serve (issue 6): tests/serve.sh, counted here.
serve_line=$(BUILD="${BUILD:-build}" sh tests/serve.sh | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
if [ -n "$serve_line" ]; then
    passed=$((passed + $(echo "$serve_line" | sed -E 's/.* ([0-9]+) passed.*/\1/')))
    failed=$((failed + $(echo "$serve_line" | sed -E 's/.* ([0-9]+) failed.*/\1/')))
    skipped=$((skipped + $(echo "$serve_line" | sed -E 's/.* ([0-9]+) skipped.*/\1/')))
else ko "tests/serve.sh printed no summary"; fi

echo "cli: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
