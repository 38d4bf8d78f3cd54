#!/usr/bin/env python3
"""How well the technique classifier's probabilities are calibrated
(issue 4): reads `slant classify --probs` output and the gold TC labels it
was run on (the same lines, in order), prints the mean negative
log-likelihood of the gold technique and the expected calibration error of
the top technique (10 equal-width bins; a distinct span counts once, and its
top technique is right when the span has that technique among its gold
ones), for the probabilities as given and, for comparison, for the raw
scores (the temperature T the model was fitted with undone: p^T,
renormalised). The bin table shows where confidence and accuracy part.

usage: bench/tc_calibration.py PROBS GOLD T
  build/slant classify --probs --spans $P/dev/TC.labels $P/dev/articles > dev.probs
  python3 bench/tc_calibration.py dev.probs $P/dev/TC.labels 1.237   # T from `slant model info`
"""
import collections
import math
import sys

NAMES = ["Appeal_to_Authority", "Appeal_to_fear-prejudice", "Bandwagon,Reductio_ad_hitlerum",
         "Black-and-White_Fallacy", "Causal_Oversimplification", "Doubt",
         "Exaggeration,Minimisation", "Flag-Waving", "Loaded_Language", "Name_Calling,Labeling",
         "Repetition", "Slogans", "Thought-terminating_Cliches",
         "Whataboutism,Straw_Men,Red_Herring"]


def report(rows, gold, power, title):
    labels = collections.defaultdict(set)
    for g in gold:
        labels[(g[0], g[2], g[3])].add(g[1])
    nll, seen, n = 0.0, set(), 0
    bins = [[0, 0.0, 0] for _ in range(10)]   # spans, summed confidence, right
    for r, g in zip(rows, gold):
        p = [float(x) ** power for x in r[4:4 + len(NAMES)]]
        z = sum(p)
        p = [x / z for x in p]
        nll -= math.log(max(p[NAMES.index(g[1])], 1e-12))
        key = (g[0], g[2], g[3])
        if key in seen:
            continue
        seen.add(key)
        n += 1
        k = max(range(len(NAMES)), key=lambda i: p[i])
        b = bins[min(int(p[k] * 10), 9)]
        b[0] += 1
        b[1] += p[k]
        b[2] += NAMES[k] in labels[key]
    ece = sum(abs(b[1] - b[2]) for b in bins) / n
    print(f"{title}: NLL {nll / len(gold):.4f} per gold span, ECE {ece:.4f} over {n} distinct spans")
    for i, b in enumerate(bins):
        if b[0]:
            print(f"  confidence {i / 10:.1f}-{(i + 1) / 10:.1f}: {b[0]:4d} spans, "
                  f"mean confidence {b[1] / b[0]:.3f}, accuracy {b[2] / b[0]:.3f}")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split("\n\n")[-1])
    rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1], encoding="utf-8")]
    gold = [line.rstrip("\n").split("\t") for line in open(sys.argv[2], encoding="utf-8")]
    t = float(sys.argv[3])
    if len(rows) != len(gold) or any(len(r) != 4 + len(NAMES) for r in rows):
        sys.exit("tc_calibration: PROBS must be `slant classify --probs` output for GOLD, line by line")
    report(rows, gold, 1.0, f"probabilities (temperature {t})")
    report(rows, gold, t, "raw scores (temperature 1)")


if __name__ == "__main__":
    main()
