#!/bin/sh
# Hostile input (issue 7): runs the CLI on each bad input of tests/bad/ and on
# big or damaged files generated here in a temp folder (never committed), and
# checks: exit 1 (never a signal, never 2), exactly one line on stderr that
# names the file, the line or byte where one applies, and the expected reason.
# Inputs that must succeed (empty, whitespace only, CRLF, lone CR) are
# checked too: an empty or whitespace-only article is a valid article with
# zero fragments, like the library's slant_analyze.
# Prints "bad: N passed, N failed, N skipped"; called from tests/cli.sh.
set -u
B=${BUILD:-build}/slant
D=tests/bad
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
passed=0; failed=0; skipped=0
ko() { failed=$((failed + 1)); echo "FAIL bad: $1" >&2; }

# bad NAME "expected stderr substring" command... : exit 1, one stderr line
bad() {
    name=$1; msg=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"; rc=$?
    if [ "$rc" -ne 1 ]; then ko "$name: exit $rc, expected 1 ($(head -c 300 "$T/err"))"; return; fi
    if [ "$(wc -l < "$T/err")" -ne 1 ]; then ko "$name: stderr is not one line: $(head -c 300 "$T/err")"; return; fi
    if ! grep -qF -- "$msg" "$T/err"; then ko "$name: stderr lacks '$msg': $(cat "$T/err")"; return; fi
    passed=$((passed + 1))
}
# good NAME "expected stdout substring" command... : exit 0, nothing on stderr
good() {
    name=$1; msg=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"; rc=$?
    if [ "$rc" -ne 0 ] || [ -s "$T/err" ]; then ko "$name: exit $rc ($(head -c 300 "$T/err"))"; return; fi
    if [ -n "$msg" ] && ! grep -qF -- "$msg" "$T/out"; then ko "$name: stdout lacks '$msg'"; return; fi
    passed=$((passed + 1))
}

if [ ! -f models/default.slant ]; then
    echo "SKIP bad: models/default.slant is missing" >&2
    echo "bad: 0 passed, 0 failed, 1 skipped"; exit 0
fi

# ---- article text ----
good empty_article_has_no_fragments "empty: 0 fragments, score 0.000" "$B" analyze $D/empty.txt
good whitespace_article_has_no_fragments "whitespace: 0 fragments, score 0.000" "$B" analyze $D/whitespace.txt
good empty_article_gives_no_si_lines "" "$B" analyze --format si $D/empty.txt
[ -s "$T/out" ] && ko "empty_article_gives_no_si_lines: printed $(head -c 100 "$T/out")"
good crlf_is_text "crlf:" "$B" analyze $D/crlf.txt
good lone_cr_is_text "lone-cr:" "$B" analyze $D/lone-cr.txt
bad bad_first_byte "utf8-bad-first-byte.txt: byte 0: invalid UTF-8 byte 0xFF" "$B" analyze $D/utf8-bad-first-byte.txt
bad truncated_in_the_middle "utf8-truncated-middle.txt: byte 16: invalid UTF-8 byte 0xC3" "$B" analyze $D/utf8-truncated-middle.txt
bad truncated_at_the_end "utf8-truncated-end.txt: byte 30: invalid UTF-8 byte 0xE2 at byte 30: truncated sequence at end of input" "$B" analyze $D/utf8-truncated-end.txt
bad overlong_2byte "utf8-overlong-2byte.txt: byte 15: invalid UTF-8 byte 0xC0 at byte 15: overlong encoding" "$B" analyze $D/utf8-overlong-2byte.txt
bad overlong_3byte "utf8-overlong-3byte.txt: byte 13: invalid UTF-8 byte 0xE0 at byte 13: overlong encoding" "$B" analyze $D/utf8-overlong-3byte.txt
bad surrogate "utf8-surrogate.txt: byte 12: invalid UTF-8 byte 0xED at byte 12: UTF-16 surrogate" "$B" analyze $D/utf8-surrogate.txt
bad above_max "utf8-above-max.txt: byte 16: invalid UTF-8 byte 0xF4 at byte 16: code point above U+10FFFF" "$B" analyze $D/utf8-above-max.txt
bad lone_continuation "utf8-lone-continuation.txt: byte 20: invalid UTF-8 byte 0x80" "$B" analyze $D/utf8-lone-continuation.txt
bad nul_byte "nul-byte.txt: byte 5:" "$B" analyze $D/nul-byte.txt
grep -q NUL "$T/err" || ko "nul_byte: the message does not say NUL: $(cat "$T/err")"
bad nul_byte_even_when_replacing "nul-byte.txt: byte 5:" "$B" analyze --replace-invalid $D/nul-byte.txt
good replace_invalid_repairs_utf8 "utf8-surrogate:" "$B" analyze --replace-invalid $D/utf8-surrogate.txt
bad stdin_is_named "-: byte 0: invalid UTF-8" sh -c "\"$B\" analyze - < $D/utf8-bad-first-byte.txt"

# Big inputs, generated: refused at once from their size, before reading.
# SLANT_MAX_ARTICLE_BYTES is 2 MiB (include/slant.h).
head -c 50000000 /dev/zero | tr '\0' 'a' > "$T/one-token-50mb.txt"
awk 'BEGIN { s = "The corrupt elite will destroy our great nation. "; for (i = 0; i < 1230000; i++) printf "%s", s }' > "$T/line-60mb.txt"
head -c 10000000 /dev/zero | tr '\0' 'x' > "$T/token-10mb.txt"
start=$(date +%s)
bad single_line_50mb_is_too_big "one-token-50mb.txt: $T/one-token-50mb.txt is 50000000 bytes, the limit is 2097152" "$B" analyze "$T/one-token-50mb.txt"
bad line_60mb_is_too_big "line-60mb.txt is 60270000 bytes, the limit is 2097152" "$B" analyze "$T/line-60mb.txt"
bad token_10mb_is_too_big "token-10mb.txt is 10000000 bytes, the limit is 2097152" "$B" analyze "$T/token-10mb.txt"
bad big_stdin_pipe_is_too_big "-: - is more than 2097152 bytes, the limit" sh -c "cat \"$T/token-10mb.txt\" | \"$B\" analyze -"
[ $(( $(date +%s) - start )) -le 20 ] || ko "big_inputs_are_refused_quickly: took $(( $(date +%s) - start )) s"
rm -f "$T/one-token-50mb.txt" "$T/line-60mb.txt" "$T/token-10mb.txt"

# ---- label files: slant eval si|tc and slant classify --spans ----
G=$D/good-si.labels
bad labels_two_columns "labels-two-columns.labels:1: predictions: expected 3 or 4 tab-separated columns, found 2" "$B" eval si $D/labels-two-columns.labels $G
bad labels_five_columns "labels-five-columns.labels:1: predictions: expected 3 or 4 tab-separated columns, found 5" "$B" eval si $D/labels-five-columns.labels $G
bad labels_spaces_not_tabs "labels-spaces-not-tabs.labels:1: predictions: expected 3 or 4 tab-separated columns, found 1" "$B" eval si $D/labels-spaces-not-tabs.labels $G
bad labels_not_a_number "labels-not-a-number.labels:1: predictions: start offset 'four' is not a number" "$B" eval si $D/labels-not-a-number.labels $G
bad labels_negative "labels-negative.labels:1: predictions: start offset -4 is negative" "$B" eval si $D/labels-negative.labels $G
bad labels_empty_span "labels-empty-span.labels:1: predictions: start 9 is not before end 9" "$B" eval si $D/labels-empty-span.labels $G
bad labels_reversed "labels-reversed.labels:1: predictions: start 9 is not before end 3" "$B" eval si $D/labels-reversed.labels $G
bad labels_overflow "labels-overflow.labels:1: predictions: end offset 99999999999999999999 is too large" "$B" eval si $D/labels-overflow.labels $G
bad labels_mixed_columns "labels-mixed-columns.labels:3: predictions: expected 3 tab-separated columns, found 4" "$B" eval si $D/labels-mixed-columns.labels $G
bad labels_long_id "labels-long-id.labels:1: predictions: article id" "$B" eval si $D/labels-long-id.labels $G
bad labels_bad_gold "labels-negative.labels:1:" "$B" eval si $G $D/labels-negative.labels
bad labels_unknown_technique "labels-unknown-technique.labels:1: predictions: unknown technique 'Loaded_Languag'; did you mean 'Loaded_Language'?" "$B" eval tc $D/labels-unknown-technique.labels $D/good-tc.labels
bad labels_beyond_article "labels-beyond-article.labels:1: span [0,500) ends past the end of article 1" "$B" classify --spans $D/labels-beyond-article.labels $D/article1.txt
bad labels_unknown_article "labels-unknown-article.labels:1: article 9 is not among the articles given" "$B" classify --spans $D/labels-unknown-article.labels $D/article1.txt
bad classify_two_columns "labels-two-columns.labels:1: expected 3 or 4 tab-separated columns, found 2" "$B" classify --spans $D/labels-two-columns.labels $D/article1.txt
bad classify_not_a_number "labels-not-a-number.labels:1:" "$B" classify --spans $D/labels-not-a-number.labels $D/article1.txt
good classify_good_spans "1	" "$B" classify --spans $G $D/article1.txt

# ---- model files, damaged copies of the bundled one ----
M=models/default.slant
size=$(wc -c < $M)
for n in 0 7 27 28 100 4096 $((size / 2)) $((size - 4)) $((size - 1)); do
    head -c $n $M > "$T/trunc-$n.slant"
    bad "model_truncated_at_$n" "trunc-$n.slant: byte $n: invalid model: truncated" "$B" model check "$T/trunc-$n.slant"
done
bad analyze_with_truncated_model "trunc-100.slant: byte 100: cannot load the model: truncated" "$B" analyze -m "$T/trunc-100.slant" $D/article1.txt
for off in 0 9 200 5000 $((size / 2)) $((size - 2)); do
    cp $M "$T/flip-$off.slant"
    b=$(od -An -tu1 -j $off -N1 $M | tr -d ' ')
    printf "\\$(printf '%03o' $(( (b + 85) % 256 )))" | dd of="$T/flip-$off.slant" bs=1 seek=$off conv=notrunc 2>/dev/null
    case $off in
        0) want="bad magic" ;;
        9) want="model format version" ;;
        *) want="checksum mismatch" ;;
    esac
    bad "model_flipped_at_$off" "flip-$off.slant: byte" "$B" model check "$T/flip-$off.slant"
    grep -qF "$want" "$T/err" || ko "model_flipped_at_$off: expected '$want': $(cat "$T/err")"
done
cp $M "$T/v2.slant"
printf '\002' | dd of="$T/v2.slant" bs=1 seek=8 conv=notrunc 2>/dev/null
bad model_newer_version "v2.slant: byte 8: invalid model: model format version 2, this build reads 1: upgrade slant or retrain" "$B" model check "$T/v2.slant"
bad model_info_newer_version "v2.slant: byte 8:" "$B" model info "$T/v2.slant"
bad model_is_a_folder "$T:" "$B" model check "$T"
bad model_missing "nope.slant: invalid model: cannot open" "$B" model check "$T/nope.slant"
for s in fuzz/corpus/model_full/crash-*; do
    [ -f "$s" ] || continue
    bad "model_$(basename "$s")" "invalid model: model section" "$B" model check "$s"
done

echo "bad: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
