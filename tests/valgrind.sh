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
run "$B" analyze --format jsonl examples/harbor-bill.txt
run "$B" classify --probs --spans tests/bad/good-si.labels tests/bad/article1.txt
# The library as an embedding program uses it (examples/analyze_file.c).
run "${BUILD:-build}/examples/analyze_file" models/default.slant examples/harbor-bill.txt
printf '\377\376 bad' > /tmp/slant-vg-bad.$$
run "$B" analyze /tmp/slant-vg-bad.$$
run "$B" analyze /nonexistent/file.txt
# Hostile-input paths (issue 7): scoring, classifying, bad labels, a
# damaged model, an empty article.
run "$B" eval si tests/bad/good-si.labels tests/bad/good-si.labels
run "$B" eval tc tests/bad/labels-unknown-technique.labels tests/bad/good-tc.labels
run "$B" classify --spans tests/bad/good-si.labels tests/bad/article1.txt
run "$B" classify --spans tests/bad/labels-beyond-article.labels tests/bad/article1.txt
run "$B" analyze tests/bad/empty.txt
head -c 5000 models/default.slant > /tmp/slant-vg-model.$$
run "$B" model check /tmp/slant-vg-model.$$
for s in fuzz/corpus/model_full/crash-*; do [ -f "$s" ] && run "$B" model check "$s"; done
rm -f /tmp/slant-vg.$$ /tmp/slant-vg-bad.$$ /tmp/slant-vg-model.$$
echo "valgrind: $((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
