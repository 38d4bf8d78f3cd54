#!/bin/sh
# Runs the CLI under valgrind on a few inputs and fails on any leak or
# memory error (memcheck exits 99 when it reports one).
set -u
B=${BUILD:-build}/slant
fail=0; n=0
run() {
    n=$((n + 1))
    valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
        --error-exitcode=99 "$@" >/dev/null 2>/tmp/slant-vg.$$
    if [ $? -eq 99 ]; then fail=$((fail + 1)); echo "valgrind: errors in: $*"; cat /tmp/slant-vg.$$; fi
}
run "$B" analyze examples/harbor-bill.txt
run "$B" analyze --format si examples/harbor-bill.txt
run "$B" model info models/default.slant
printf '\377\376 bad' > /tmp/slant-vg-bad.$$
run "$B" analyze /tmp/slant-vg-bad.$$
run "$B" analyze /nonexistent/file.txt
rm -f /tmp/slant-vg.$$ /tmp/slant-vg-bad.$$
echo "valgrind: $((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
