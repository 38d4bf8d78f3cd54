#!/bin/sh
# Builds and runs every libFuzzer target fuzz/fuzz_<X>.c against a scratch
# copy of its seed folder fuzz/corpus/<X>/ (the committed seeds are never
# written to; new inputs land in build-fuzz/corpus/<X>/).
#   sh fuzz/run.sh SECONDS [RUNS]   RUNS set: -runs=RUNS, else -max_total_time=SECONDS
# Used by `make fuzz` and CI. Targets that do not exist yet are simply not
# run; a seed folder that does not exist yet means an empty corpus. Exits 1
# if any target fails to build or finds a crash (reproducers are left in
# build-fuzz/artifacts/).
set -u
seconds=${1:-60}
runs=${2:-}
CC=${FUZZ_CC:-clang}
out=build-fuzz
mkdir -p "$out/artifacts" "$out/corpus"

# The library goes in as an archive, so each target links only the objects
# it needs: a half-finished module elsewhere in src/ that the target does not
# use cannot break its link. A file that does not compile is reported and
# left out; a target that needs it then fails at link time, as it should.
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
flags="-g -O1 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude -Isrc"
mkdir -p "$out/obj"
rm -f "$out/obj/"*.o "$out/libslant-fuzz.a"
objs=""
for c in src/*.c src/util/*.c; do
    [ -f "$c" ] || continue
    o="$out/obj/$(echo "$c" | tr / _ | sed 's/\.c$/.o/')"
    # shellcheck disable=SC2086
    if $CC $flags -fsanitize=fuzzer-no-link $san -c "$c" -o "$o"; then
        objs="$objs $o"
    else
        echo "== warning: $c does not compile; left out of the fuzz library" >&2
    fi
done
# shellcheck disable=SC2086
[ -n "$objs" ] && ar rcs "$out/libslant-fuzz.a" $objs
libs="-lutf8proc -lstemmer -llbfgs -lcjson -lmicrohttpd -ldeflate -lz -lm -lpthread"
if [ -n "$runs" ]; then limit="-runs=$runs"; else limit="-max_total_time=$seconds"; fi

failed=0; ran=0
for src in fuzz/fuzz_*.c; do
    [ -f "$src" ] || continue          # the glob matched nothing
    name=$(basename "$src" .c)         # fuzz_model_load
    corpus_name=${name#fuzz_}          # model_load
    bin="$out/$name"
    echo "== $name: building"
    # shellcheck disable=SC2086  # flags, san and libs are word lists
    if ! $CC $flags -fsanitize=fuzzer $san "$src" "$out/libslant-fuzz.a" $libs -o "$bin"; then
        echo "== $name: BUILD FAILED" >&2
        failed=$((failed + 1)); continue
    fi
    work="$out/corpus/$corpus_name"
    rm -rf "$work"; mkdir -p "$work"
    if [ -d "fuzz/corpus/$corpus_name" ]; then
        cp -R "fuzz/corpus/$corpus_name/." "$work/"
    fi
    echo "== $name: running ($limit)"
    ran=$((ran + 1))
    if ! "$bin" "$limit" -print_final_stats=1 -artifact_prefix="$out/artifacts/$name-" "$work"; then
        echo "== $name: FAILED (see $out/artifacts/$name-*)" >&2
        failed=$((failed + 1))
    fi
done
echo "fuzz: $ran target(s) run, $failed failed"
[ "$failed" -eq 0 ]
