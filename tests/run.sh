#!/bin/sh
# Runs every test binary given, then tests/cli.sh, and prints one closing
# line "N passed, N failed, N skipped" over all of them. Exit 1 on any failure.
set -u
passed=0; failed=0; skipped=0; crashed=0
for t in "$@"; do
    out=$("$t" 2>/tmp/slant-test-err.$$); rc=$?
    printf '%s\n' "$out"
    if [ $rc -ne 0 ] || ! printf '%s' "$out" | grep -q 'passed,'; then
        cat /tmp/slant-test-err.$$ >&2
    fi
    line=$(printf '%s\n' "$out" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
    if [ -z "$line" ]; then crashed=$((crashed + 1)); echo "$t: exited $rc without a summary" >&2; continue; fi
    p=$(echo "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    s=$(echo "$line" | sed -E 's/.* ([0-9]+) skipped.*/\1/')
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    [ $rc -ne 0 ] && [ "$f" -eq 0 ] && crashed=$((crashed + 1))
done
rm -f /tmp/slant-test-err.$$
if [ -f tests/cli.sh ]; then
    out=$(BUILD="${BUILD:-build}" sh tests/cli.sh); rc=$?
    printf '%s\n' "$out"
    line=$(printf '%s\n' "$out" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
    if [ -n "$line" ]; then
        p=$(echo "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/'); f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
        s=$(echo "$line" | sed -E 's/.* ([0-9]+) skipped.*/\1/')
        passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    else crashed=$((crashed + 1)); fi
    [ $rc -ne 0 ] && [ "${f:-0}" -eq 0 ] && crashed=$((crashed + 1))
fi
failed=$((failed + crashed))
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
