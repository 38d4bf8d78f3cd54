#!/bin/sh
# Candidate spans as TSV (span_dump) at thresholds 0.20 0.15 0.10 0.07, low =
# 0.875 x threshold and gap 2 (the bundled model's rule): out-of-fold on the
# training articles (foldK/tTT.tsv, fold models) and on dev (dev_tTT.tsv,
# the bundled model of the experiment's time, one label group: third.slant,
# from `git show 6107c04:models/default.slant > third.slant`; see the README).
# Run from the experiment folder after train_folds.sh.
set -eu
R=$(cd "$(dirname "$0")/../.." && pwd)
P=${SLANT_PTC:-$R/../shared/data/ptc}
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I"$R/include" -I"$R/src" -Wall -Wextra \
   -o span_dump "$R/bench/span_filter/span_dump.c" "$R/build/libslant.a" \
   -lutf8proc -lstemmer -llbfgs -lcjson -lmicrohttpd -ldeflate -lz -lm -lpthread
for T in 20 15 10 07; do
  for k in 0 1 2 3 4; do ./span_dump fold$k/model.slant 0.$T 0.875 2 fold$k/te/articles > fold$k/t$T.tsv; done
  ./span_dump "${SF_DEV_MODEL:-third.slant}" 0.$T 0.875 2 "$P/dev/articles" > dev_t$T.tsv
done
