#!/usr/bin/env python3
"""Writes 5 folds of the PTC training articles into the current folder:
foldK/{tr,te}/articles (symlinks to the corpus) + SI.labels + TC.labels.
Article K-th in id order goes to fold K mod 5 (deterministic)."""
import os
from sf import D

T = D + '/train'
ids = sorted(int(f[7:-4]) for f in os.listdir(T + '/articles') if f.startswith('article'))
fold = {i: k % 5 for k, i in enumerate(ids)}
si = [l for l in open(T + '/SI.labels') if l.strip()]
tc = [l for l in open(T + '/TC.labels') if l.strip()]
for f in range(5):
    for part in ('tr', 'te'):
        d = f'fold{f}/{part}'
        os.makedirs(d + '/articles', exist_ok=True)
        sel = set(i for i in ids if (fold[i] == f) == (part == 'te'))
        for i in sel:
            p = f'{d}/articles/article{i}.txt'
            if not os.path.exists(p):
                os.symlink(f'{T}/articles/article{i}.txt', p)
        open(d + '/SI.labels', 'w').writelines(l for l in si if int(l.split('\t')[0]) in sel)
        open(d + '/TC.labels', 'w').writelines(l for l in tc if int(l.split('\t')[0]) in sel)
