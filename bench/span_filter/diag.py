#!/usr/bin/env python3
"""Diagnostics of the OOF candidates: per-fold AUC of single features, false
positives inside or outside gold lines, coverage by mean_p decile. usage: diag.py TAG"""
import sys, collections
from sf import *
TAG=sys.argv[1]
gold=load_gold(D+'/train/SI.labels')
tr=[]
for k in range(5):
    rs=read_tsv(f'fold{k}/{TAG}.tsv')
    for r in rs: r['fold']=k
    tr+=rs
label_rows(tr,gold); context_info(tr,'train')
for r in tr: derive(r)
for k in range(5):
    a=[r for r in tr if r['fold']==k]
    print(k, len(a), 'pos %.3f'%(sum(r['y'] for r in a)/len(a)), 'mean_p mean %.3f'%(sum(r['mean_p'] for r in a)/len(a)),
          ' '.join('%s %.3f'%(f,auc([r[f] for r in a],[r['y'] for r in a])) for f in ['mean_p','max_p','ntok_log','tc_max','emit_mean','sent_max_out','n_cand_sent','doc_score']))
# FP: sentence of gold?
gm={k:merge(v) for k,v in gold.items()}
# sentence spans: approximate by lines
c=collections.Counter()
for r in tr:
    t=article_text('train',r['id'])
    ls=t.rfind('\n',0,r['start'])+1; le=t.find('\n',r['end']); le=len(t) if le<0 else le
    ing=any(min(le,ge)-max(ls,gs)>0 for gs,ge in gm.get(r['id'],[]))
    c[(r['y'],ing)]+=1
print(c)
# cov distribution among positives
import statistics
pos=[r['cov'] for r in tr if r['y']]
print('cov of positives: mean %.3f median %.3f; frac>0.9 %.3f'%(statistics.mean(pos),statistics.median(pos),sum(x>0.9 for x in pos)/len(pos)))
# mean cov by mean_p decile
rs=sorted(tr,key=lambda r:r['mean_p'])
n=len(rs)
for q in range(10):
    b=rs[q*n//10:(q+1)*n//10]
    print('decile %d mean_p %.3f-%.3f  y %.3f cov %.3f ntok %.1f'%(q,b[0]['mean_p'],b[-1]['mean_p'],sum(r['y'] for r in b)/len(b),sum(r['cov'] for r in b)/len(b),sum(r['ntok'] for r in b)/len(b)))
