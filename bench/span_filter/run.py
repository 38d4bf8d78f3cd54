#!/usr/bin/env python3
"""usage: run.py TAG [groups=a,b,..] [label=bin|cov] [l2=..] [epochs=..] [out=prefix]
TAG: candidate set name: oof_TAG.tsv (train, column fold added) and dev_TAG.tsv."""
import sys, collections
from sf import *
import sf

args = dict(a.split('=', 1) for a in sys.argv[2:])
TAG = sys.argv[1]
groups = set(args.get('groups', ','.join(GROUPS)).split(','))
label = args.get('label', 'bin')
l2 = float(args.get('l2', '1e-4'))
epochs = int(args.get('epochs', '10'))
bits = int(args.get('bits', '18'))
out = args.get('out')
quiet = 'quiet' in args

gold_tr = load_gold(D + '/train/SI.labels')
gold_dev = load_gold(D + '/dev/SI.labels')

tr = []
for k in range(5):
    rs = read_tsv(f'fold{k}/{TAG}.tsv')
    for r in rs:
        r['fold'] = k
    tr += rs
dev = read_tsv(f'dev_{TAG}.tsv')
label_rows(tr, gold_tr)
label_rows(dev, gold_dev)
context_info(tr, 'train')
context_info(dev, 'dev')
for r in tr + dev:
    derive(r)


def spans(rows, keep=None):
    p = collections.defaultdict(list)
    for i, r in enumerate(rows):
        if keep is None or keep[i]:
            p[r['id']].append((r['start'], r['end']))
    return p


def best_thr(rows, scores, gold, grid=None):
    grid = grid or sorted(set(round(x, 3) for x in [i / 100 for i in range(0, 96)]))
    best = (-1, None)
    for t in grid:
        f = si_score(spans(rows, [s >= t for s in scores]), gold)[0]
        if f > best[0]:
            best = (f, t)
    return best


def fmt(s):
    return 'F1 %.4f P %.3f R %.3f n %d' % s


print('candidates: train OOF %d (%.1f%% overlap gold), dev %d (%.1f%%)' % (
    len(tr), 100 * sum(r['y'] for r in tr) / len(tr), len(dev), 100 * sum(r['y'] for r in dev) / len(dev)))
print('no filter   OOF train', fmt(si_score(spans(tr), gold_tr)), '| dev', fmt(si_score(spans(dev), gold_dev)))
print('oracle      OOF train', fmt(si_score(spans(tr, [r['y'] for r in tr]), gold_tr)),
      '| dev', fmt(si_score(spans(dev, [r['y'] for r in dev]), gold_dev)))

# single-feature baselines: threshold chosen on OOF train
for f in ['mean_p', 'max_p']:
    fb, t = best_thr(tr, [r[f] for r in tr], gold_tr, [i / 200 for i in range(0, 120)])
    print('%-11s OOF train F1 %.4f at %.3f | dev' % (f + '>=t', fb, t),
          fmt(si_score(spans(dev, [r[f] >= t for r in dev]), gold_dev)))


def ytarget(rows):
    return [r['cov'] if label == 'cov' else r['y'] for r in rows]


# nested CV on train
oof = [0.0] * len(tr)
for k in range(5):
    a = [r for r in tr if r['fold'] != k]
    ia = [i for i, r in enumerate(tr) if r['fold'] == k]
    if 'gbm' in args:
        gm_ = gbm_train(a, NUMERIC, [r['y'] for r in a], rounds=int(args['gbm']))
        ps = gbm_predict(gm_, [tr[i] for i in ia])
    else:
        edges, st = make_edges(a), stats(a)
        Xa = [features(r, edges, st, groups, bits) for r in a]
        w = train_lr(Xa, ytarget(a), bits, epochs=epochs, l2=l2)
        ps = predict(w, [features(tr[i], edges, st, groups, bits) for i in ia])
    for i, p in zip(ia, ps):
        oof[i] = p
fb, thr = best_thr(tr, oof, gold_tr)
# log loss / AUC of filter on OOF
print('filter      OOF train F1 %.4f at keep>=%.2f (AUC %.3f; mean_p AUC %.3f)' % (
    fb, thr, auc(oof, [r['y'] for r in tr]), auc([r['mean_p'] for r in tr], [r['y'] for r in tr])))
print('            OOF train at that thr:', fmt(si_score(spans(tr, [s >= thr for s in oof]), gold_tr)))

if 'gbm' in args:
    gm_ = gbm_train(tr, NUMERIC, [r['y'] for r in tr], rounds=int(args['gbm']))
    ps = gbm_predict(gm_, dev)
    print('gbm split counts:', gbm_importance(gm_).most_common(12))
else:
    edges, st = make_edges(tr), stats(tr)
    w = train_lr([features(r, edges, st, groups, bits) for r in tr], ytarget(tr), bits, epochs=epochs, l2=l2)
    ps = predict(w, [features(r, edges, st, groups, bits) for r in dev])
print('filter      dev', fmt(si_score(spans(dev, [s >= thr for s in ps]), gold_dev)),
      '(AUC %.3f; mean_p AUC %.3f)' % (auc(ps, [r['y'] for r in dev]), auc([r['mean_p'] for r in dev], [r['y'] for r in dev])))
fd, td = best_thr(dev, ps, gold_dev)
print('            dev best thr (cheating) F1 %.4f at %.2f' % (fd, td))
if out:
    with open(out + '.si', 'w') as f, open(out + '.flc', 'w') as g, open(out + '.nofilter.flc', 'w') as h:
        for r, s in zip(dev, ps):
            for t in (r['tech0'], r['tech1']):
                if t >= 0:
                    h.write('%s\t%s\t%d\t%d\n' % (r['id'], TECH[t], r['start'], r['end']))
            if s < thr:
                continue
            f.write('%s\t%d\t%d\n' % (r['id'], r['start'], r['end']))
            for t in (r['tech0'], r['tech1']):
                if t >= 0:
                    g.write('%s\t%s\t%d\t%d\n' % (r['id'], TECH[t], r['start'], r['end']))
    with open(out + '.oof.si', 'w') as f:
        for r, s in zip(tr, oof):
            if s >= thr:
                f.write('%s\t%d\t%d\n' % (r['id'], r['start'], r['end']))
