#!/usr/bin/env python3
"""Span filter prototype: hashed-feature logistic regression over tagger candidates.

Data: TSV rows from span_dump (one per candidate), article texts, gold labels.
"""
import math, os, random, re, sys, zlib, collections

# The corpus: $SLANT_PTC, else ../shared/data/ptc beside the repository.
D = os.environ.get('SLANT_PTC') or os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../shared/data/ptc'))
TECH = [l.strip() for l in open(D + '/techniques.txt') if l.strip()]

_text_cache = {}


def article_text(split, aid):
    k = (split, aid)
    if k not in _text_cache:
        with open(f'{D}/{split}/articles/article{aid}.txt', encoding='utf-8', newline='') as f:
            _text_cache[k] = f.read()
    return _text_cache[k]


def load_gold(path, tc=False):
    g = collections.defaultdict(list)
    for l in open(path):
        p = l.rstrip('\n').split('\t')
        if len(p) < 3:
            continue
        if tc:
            g[p[0]].append((p[1], int(p[2]), int(p[3])))
        else:
            g[p[0]].append((int(p[1]), int(p[2])))
    return g


def merge(iv):
    iv = sorted(iv)
    out = []
    for s, e in iv:
        if out and s < out[-1][1]:
            if e > out[-1][1]:
                out[-1][1] = e
        else:
            out.append([s, e])
    return out


def si_score(pred, gold):
    """pred, gold: dict id -> list of (s,e). Official SI with merging on both sides."""
    P = R = 0.0
    npred = ngold = 0
    gm = {k: merge(v) for k, v in gold.items()}
    for k, v in gold.items():
        ngold += len(gm[k])
    for k, v in pred.items():
        pm = merge(v)
        npred += len(pm)
        g = gm.get(k, [])
        for s, e in pm:
            for gs, ge in g:
                o = min(e, ge) - max(s, gs)
                if o > 0:
                    P += o / (e - s)
                    R += o / (ge - gs)
    p = P / npred if npred else 0.0
    r = R / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return f, p, r, npred


def read_tsv(path):
    rows = []
    with open(path) as f:
        hdr = f.readline().rstrip('\n').split('\t')
        for l in f:
            p = l.rstrip('\n').split('\t')
            r = {}
            for h, v in zip(hdr, p):
                if h == 'id':
                    r[h] = v
                elif h in ('start', 'end', 'first', 'last', 'ntok', 'nword', 'sent', 'sent_ntok', 'sent_pos',
                           'n_sent', 'doc_ntok', 'cross_sent', 'n_tech', 'tech0', 'tech1'):
                    r[h] = int(v)
                else:
                    r[h] = float(v)
            rows.append(r)
    return rows


def label_rows(rows, gold):
    gm = {k: merge(v) for k, v in gold.items()}
    for r in rows:
        s, e = r['start'], r['end']
        cov = 0
        for gs, ge in gm.get(r['id'], []):
            o = min(e, ge) - max(s, gs)
            if o > 0:
                cov += o
        r['cov'] = cov / (e - s)
        r['y'] = 1 if cov > 0 else 0


WORD = re.compile(r"\w+(?:['’-]\w+)*|[^\w\s]", re.U)
QUOTES = set('"“”\'‘’«»')


def context_info(rows, split):
    """Adds per-candidate info that needs the text or the other candidates."""
    by_art = collections.defaultdict(list)
    for r in rows:
        by_art[r['id']].append(r)
    for aid, rs in by_art.items():
        t = article_text(split, aid)
        rs.sort(key=lambda r: r['start'])
        sent_count = collections.Counter(r['sent'] for r in rs)
        for i, r in enumerate(rs):
            r['text'] = t[r['start']:r['end']]
            r['before'] = t[max(0, r['start'] - 40):r['start']]
            r['after'] = t[r['end']:r['end'] + 40]
            r['n_cand_sent'] = sent_count[r['sent']] - 1
            r['n_cand_art'] = len(rs)
            r['cand_rank'] = i


def lex_tokens(s):
    return WORD.findall(s)


def hsh(s, bits):
    return zlib.crc32(s.encode('utf-8')) & ((1 << bits) - 1)


def bin_of(x, edges):
    b = 0
    for e in edges:
        if x > e:
            b += 1
    return b


NUMERIC = ['ntok_log', 'nword', 'chars_log', 'mean_p', 'max_p', 'min_p', 'p_first', 'p_last', 'p_prev', 'p_next',
           'pb_first', 'pb_inner_max', 'pb_next', 'sent_ntok', 'sent_cover', 'sent_pos_rel', 'sent_max_out',
           'sent_mean', 'doc_pos', 'doc_score', 'emit_mean', 'emit_max', 'emit_min', 'emit_first_bi',
           'tc_max', 'tc_ent', 'tc_margin', 'n_cand_sent', 'n_cand_art_rel', 'doc_ntok_log']


def derive(r):
    r['ntok_log'] = math.log(r['ntok'])
    r['chars_log'] = math.log(max(1, r['end'] - r['start']))
    r['sent_cover'] = r['ntok'] / max(1, r['sent_ntok'])
    r['sent_pos_rel'] = r['sent_pos'] / max(1, r['sent_ntok'])
    r['doc_pos'] = r['sent'] / max(1, r['n_sent'])
    r['doc_ntok_log'] = math.log(max(1, r['doc_ntok']))
    pr = [r['p%d' % k] for k in range(14)]
    sp = sorted(pr, reverse=True)
    r['tc_max'] = sp[0]
    r['tc_margin'] = sp[0] - sp[1]
    r['tc_ent'] = -sum(p * math.log(p) for p in pr if p > 0)
    r['tc_arg'] = max(range(14), key=lambda k: pr[k])
    r['n_cand_art_rel'] = r['n_cand_art'] / max(1, r['n_sent'])


def make_edges(rows, nb=8):
    edges = {}
    for f in NUMERIC:
        v = sorted(r[f] for r in rows)
        es = sorted(set(v[int(len(v) * q / nb)] for q in range(1, nb)))
        edges[f] = es
    return edges


def stats(rows):
    st = {}
    for f in NUMERIC:
        v = [r[f] for r in rows]
        m = sum(v) / len(v)
        sd = math.sqrt(sum((x - m) ** 2 for x in v) / len(v)) or 1.0
        st[f] = (m, sd)
    return st


GROUPS = ['num', 'bins', 'tc', 'words', 'bigrams', 'edges', 'ctx', 'punct', 'struct']


def features(r, edges, st, groups, bits):
    f = []  # list of (index, value)
    def add(name, v=1.0):
        f.append((hsh(name, bits), v))
    add('bias')
    if 'num' in groups:
        for k in NUMERIC:
            m, sd = st[k]
            add('z:' + k, max(-5.0, min(5.0, (r[k] - m) / sd)))
    if 'bins' in groups:
        for k in NUMERIC:
            add('b:%s:%d' % (k, bin_of(r[k], edges[k])))
    if 'tc' in groups:
        add('tc:%d' % r['tc_arg'])
        add('tc0:%d' % r['tech0'])
        add('ntech:%d' % r['n_tech'])
        for k in range(14):
            add('tcp:%d' % k, r['p%d' % k])
    toks = lex_tokens(r['text'])
    low = [t.lower() for t in toks]
    if 'words' in groups:
        for w in set(low):
            add('w:' + w, 1.0 / math.sqrt(len(set(low))))
    if 'bigrams' in groups:
        bg = set(a + '_' + b for a, b in zip(low, low[1:]))
        for b in bg:
            add('bg:' + b, 1.0 / math.sqrt(max(1, len(bg))))
    if 'edges' in groups:
        if low:
            add('first:' + low[0])
            add('last:' + low[-1])
        bt = lex_tokens(r['before'])
        at = lex_tokens(r['after'])
        add('prev:' + (bt[-1].lower() if bt else '<s>'))
        add('next:' + (at[0].lower() if at else '</s>'))
        add('prev2:' + ('_'.join(x.lower() for x in bt[-2:]) if bt else '<s>'))
    if 'punct' in groups:
        txt = r['text']
        nq = sum(1 for c in txt if c in QUOTES)
        add('nq:%d' % min(nq, 3))
        bq = r['before'][-1:] in QUOTES or r['before'][-2:-1] in QUOTES
        aq = r['after'][:1] in QUOTES or r['after'][1:2] in QUOTES
        add('qb:%d%d' % (bq, aq))
        for c in '!?:;,()-–—':
            if c in txt:
                add('pc:' + c)
        caps = sum(1 for t in toks if len(t) > 1 and t.isupper())
        add('caps:%d' % min(caps, 2))
        add('startcap:%d' % (txt[:1].isupper()))
        add('endpunct:%d' % (txt[-1:] in '.!?"”'))
    if 'struct' in groups:
        add('title:%d' % (r['sent'] == 0))
        add('cross:%d' % r['cross_sent'])
        add('ncs:%d' % min(r['n_cand_sent'], 3))
        add('whole:%d' % (r['ntok'] >= r['sent_ntok'] - 1))
        add('len:%d' % min(r['ntok'], 30) if r['ntok'] < 4 else 'len:%d' % (4 + int(math.log2(r['ntok']))))
    return f


def train_lr(X, y, bits, epochs=15, l2=1e-4, lr0=0.1, seed=1, weights=None):
    """SGD + AdaGrad logistic regression; y in [0,1] (soft labels allowed)."""
    n = 1 << bits
    w = [0.0] * n
    g2 = [1e-8] * n
    idx = list(range(len(X)))
    rnd = random.Random(seed)
    for ep in range(epochs):
        rnd.shuffle(idx)
        for i in idx:
            x = X[i]
            z = sum(w[j] * v for j, v in x)
            z = max(-30.0, min(30.0, z))
            p = 1.0 / (1.0 + math.exp(-z))
            g = p - y[i]
            if weights:
                g *= weights[i]
            for j, v in x:
                gj = g * v + l2 * w[j]
                g2[j] += gj * gj
                w[j] -= lr0 * gj / math.sqrt(g2[j])
    return w


def predict(w, X):
    out = []
    for x in X:
        z = sum(w[j] * v for j, v in x)
        z = max(-30.0, min(30.0, z))
        out.append(1.0 / (1.0 + math.exp(-z)))
    return out


def auc(sc, y):
    """ROC AUC with ties counted half."""
    pairs = sorted(zip(sc, y), key=lambda t: t[0])
    npos = sum(y); nneg = len(y) - npos
    s = 0.0; i = 0; n = len(pairs)
    while i < n:
        j = i
        while j < n and pairs[j][0] == pairs[i][0]:
            j += 1
        r = (i + 1 + j) / 2.0
        s += r * sum(1 for k in range(i, j) if pairs[k][1])
        i = j
    return (s - npos * (npos + 1) / 2) / (npos * nneg)


def gbm_train(rows, feats, y, rounds=150, lr=0.1, nb=32, depth=2, lam=5.0, min_leaf=30):
    """Gradient-boosted small trees on quantile-binned numeric features (logloss)."""
    edges = {}
    for f in feats:
        v = sorted(r[f] for r in rows)
        edges[f] = sorted(set(v[int(len(v) * q / nb)] for q in range(1, nb)))
    B = [[bin_of(r[f], edges[f]) for f in feats] for r in rows]
    n = len(rows)
    base = math.log((sum(y) + 1) / (n - sum(y) + 1))
    F = [base] * n
    trees = []
    def best_split(idx, g, h):
        G = sum(g[i] for i in idx); H = sum(h[i] for i in idx)
        best = (0.0, None)
        for j in range(len(feats)):
            gs = [0.0] * (nb + 1); hs = [0.0] * (nb + 1); cs = [0] * (nb + 1)
            for i in idx:
                b = B[i][j]; gs[b] += g[i]; hs[b] += h[i]; cs[b] += 1
            gl = hl = 0.0; cl = 0
            for b in range(nb):
                gl += gs[b]; hl += hs[b]; cl += cs[b]
                if cl < min_leaf or len(idx) - cl < min_leaf:
                    continue
                gr = G - gl; hr = H - hl
                gain = gl * gl / (hl + lam) + gr * gr / (hr + lam) - G * G / (H + lam)
                if gain > best[0]:
                    best = (gain, (j, b))
        return best[1]
    def build(idx, g, h, d):
        if d < depth:
            sp = best_split(idx, g, h)
            if sp:
                j, b = sp
                L = [i for i in idx if B[i][j] <= b]; R = [i for i in idx if B[i][j] > b]
                return ('s', j, b, build(L, g, h, d + 1), build(R, g, h, d + 1))
        G = sum(g[i] for i in idx); H = sum(h[i] for i in idx)
        return ('l', -G / (H + lam) * lr)
    def ev(t, b):
        while t[0] == 's':
            t = t[3] if b[t[1]] <= t[2] else t[4]
        return t[1]
    for it in range(rounds):
        p = [1 / (1 + math.exp(-z)) for z in F]
        g = [pi - yi for pi, yi in zip(p, y)]
        h = [max(1e-6, pi * (1 - pi)) for pi in p]
        t = build(list(range(n)), g, h, 0)
        trees.append(t)
        for i in range(n):
            F[i] += ev(t, B[i])
    return (feats, edges, base, trees, ev)


def gbm_predict(model, rows):
    feats, edges, base, trees, ev = model
    out = []
    for r in rows:
        b = [bin_of(r[f], edges[f]) for f in feats]
        z = base + sum(ev(t, b) for t in trees)
        out.append(1 / (1 + math.exp(-z)))
    return out


def gbm_importance(model):
    feats, edges, base, trees, ev = model
    c = collections.Counter()
    def walk(t):
        if t[0] == 's':
            c[feats[t[1]]] += 1; walk(t[3]); walk(t[4])
    for t in trees:
        walk(t)
    return c
